import type { Readable } from 'node:stream';
import type { Parser } from 'csv-parse';

/**
 * A physical line, before the file's structure gives it a meaning: values (CSV), named
 * fields (JSON Lines), the end marker, or something unreadable.
 */
export type RawRow =
  | { kind: 'values'; line: number; values: string[] }
  | { kind: 'object'; line: number; fields: Record<string, string> }
  | { kind: 'end'; line: number; count: number }
  | { kind: 'unreadable'; line: number; message: string };

interface CsvInfoRecord {
  record: string[];
  info: { lines: number };
}

export async function* csvRows(parser: Parser): AsyncGenerator<RawRow> {
  const skipped: RawRow[] = [];
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ kind: 'unreadable', line: error.lines ?? 0, message: `CSV illisible : ${error.message}` });
  });
  for await (const { record, info } of parser as AsyncIterable<CsvInfoRecord>) {
    yield* skipped.splice(0);
    const end = endMarker(record[0] === '#FIN' ? record[1] : undefined);
    yield end === undefined ? { kind: 'values', line: info.lines, values: record } : { kind: 'end', line: info.lines, count: end };
  }
  yield* skipped.splice(0);
}

export async function* jsonlRows(text: Readable): AsyncGenerator<RawRow> {
  let pending = '';
  let line = 0;
  for await (const chunk of text as AsyncIterable<string>) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const content of lines) {
      line += 1;
      if (content.trim() !== '') yield jsonRow(line, content);
    }
  }
  if (pending.trim() !== '') yield jsonRow(line + 1, pending);
}

function jsonRow(line: number, content: string): RawRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { kind: 'unreadable', line, message: 'JSON illisible' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'unreadable', line, message: 'un objet JSON est attendu' };
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 1 && entries[0]?.[0] === 'fin') {
    const count = endMarker(String(entries[0][1]));
    if (count !== undefined) return { kind: 'end', line, count };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value === null) fields[key] = '';
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value);
    else return { kind: 'unreadable', line, message: `« ${key} » doit être une valeur simple` };
  }
  return { kind: 'object', line, fields };
}

function endMarker(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : undefined;
}
