import type { ErrorCode } from '../../domain/errors/codes.js';
import type { Result } from '../../domain/identifiers/result.js';
import type { SourceRecord } from './records.js';
import type { Reject } from './reject-report.js';

type Parser<T> = (text: string) => Result<T, { code: ErrorCode; reason: string }>;

/**
 * Reads a record's fields through the domain parsers and collects every fault of the line,
 * so that the person fixing the file sees all of them at once, not one per attempt.
 */
export class FieldReader {
  readonly rejects: Reject[];

  constructor(private readonly record: SourceRecord) {
    this.rejects = [...(record.faults ?? [])];
  }

  text(name: string): string {
    return (this.record.fields[name] ?? '').trim();
  }

  required<T>(name: string, parse: Parser<T>): T | undefined {
    const text = this.text(name);
    if (text === '') {
      this.fail(name, 'FIELD_MISSING', '');
      return undefined;
    }
    return this.parsed(name, text, parse);
  }

  optional<T>(name: string, parse: Parser<T>): T | null | undefined {
    const text = this.text(name);
    return text === '' ? null : this.parsed(name, text, parse);
  }

  fail(field: string, code: ErrorCode, message: string): void {
    this.rejects.push({ line: this.record.line, field, code, message });
  }

  private parsed<T>(name: string, text: string, parse: Parser<T>): T | undefined {
    const result = parse(text);
    if (result.ok) return result.value;
    this.fail(name, result.error.code, result.error.reason);
    return undefined;
  }
}

/** A small-integer field such as a rank or a quality. */
export function integerIn(min: number, max: number): Parser<number> {
  return (text) =>
    /^\d{1,3}$/.test(text) && Number(text) >= min && Number(text) <= max
      ? { ok: true, value: Number(text) }
      : { ok: false, error: { code: 'FIELD_INVALID', reason: `entier de ${min} à ${max} attendu` } };
}

/** A person's or a site's name: printable, bounded. */
export function personName(text: string): Result<string, { code: ErrorCode; reason: string }> {
  // eslint-disable-next-line no-control-regex
  if (text.length > 100 || /[\u0000-\u001f\u007f]/.test(text)) {
    return { ok: false, error: { code: 'FIELD_INVALID', reason: '100 caractères imprimables au plus' } };
  }
  return { ok: true, value: text };
}
