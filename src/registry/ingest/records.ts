import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { RempartError } from '../../domain/errors/codes.js';
import { EncodingFault, encodingRefusal } from './encoding-fault.js';
import type { FileHeader } from './file-header.js';
import type { Reject } from './reject-report.js';
import { rowChunks, type RawRow } from './rows.js';
import { strictUtf8 } from './utf8.js';

/** One data line, as named fields; `line` is the 1-based line number in the file. */
export interface SourceRecord {
  line: number;
  fields: Record<string, string>;
  /** Faults found before the line's fields were read (an unknown JSON field): the line is rejected, yet still read. */
  faults?: Reject[];
}

/** A line that could not even be read as fields: it goes straight to the reject report. */
export interface UnreadableLine {
  line: number;
  code: 'LINE_SYNTAX';
  field: string;
  message: string;
}

export interface RecordBatch {
  records: SourceRecord[];
  unreadable: UnreadableLine[];
  /** Bytes of the file consumed so far, for progress. */
  bytesRead: number;
}

export interface ColumnSpec {
  /** Every column the format knows. */
  known: readonly string[];
  /** Columns that must be in a CSV header. */
  required: readonly string[];
}

/**
 * Streams a file's data lines in batches, with bounded memory. Structural faults are
 * thrown as RempartError (the caller rolls everything back): bad encoding, bad CSV
 * header, data after the end line, a missing or wrong `#FIN;N` / `{"fin":N}` end line.
 */
export async function* readRecords(path: string, header: FileHeader, spec: ColumnSpec, batchSize = 4000): AsyncGenerator<RecordBatch> {
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done): void {
      bytesRead += chunk.length;
      done(null, chunk);
    },
  });
  // pipeline, not pipe: an encoding fault must reach the consumer, not leave it waiting.
  const text = pipeline(createReadStream(path, { highWaterMark: 1 << 18 }), counter, strictUtf8(), () => undefined);
  const reader = new BatchReader(spec, header.syntax);
  let batch: RecordBatch = { records: [], unreadable: [], bytesRead };
  try {
    for await (const rows of rowChunks(text, header.syntax)) {
      for (const row of rows) {
        reader.accept(row, batch);
        if (batch.records.length + batch.unreadable.length >= batchSize) {
          yield { ...batch, bytesRead };
          batch = { records: [], unreadable: [], bytesRead };
        }
      }
    }
  } catch (error) {
    throw error instanceof EncodingFault ? await encodingRefusal(path, error.offset) : error;
  }
  reader.finish();
  yield { ...batch, bytesRead };
}

/** Turns raw rows into records, following the file's structure line by line. */
class BatchReader {
  private columns: string[] | undefined;
  private dataLines = 0;
  private end: { line: number; count: number } | undefined;
  private sawIdentification = false;
  /** First line cut by a line break inside quotes: it explains an end line's count that is off. */
  private cutLine: number | undefined;

  constructor(
    private readonly spec: ColumnSpec,
    private readonly syntax: FileHeader['syntax'],
  ) {
    // JSON Lines has no header line: every field is named on every line.
    if (syntax === 'jsonl') this.columns = [];
  }

  accept(row: RawRow, batch: RecordBatch): void {
    if (!this.sawIdentification) {
      this.sawIdentification = true;
      return;
    }
    if (this.end) throw new RempartError('FILE_TRUNCATED', `ligne ${row.line} : données après la ligne de fin`);
    if (row.kind === 'end') {
      this.end = { line: row.line, count: row.count };
      return;
    }
    if (this.columns === undefined) {
      this.columns = this.readHeader(row);
      return;
    }
    this.dataLines += 1;
    if (row.kind === 'unreadable' && row.quotedNewline) this.cutLine ??= row.line;
    if (row.kind === 'unreadable') batch.unreadable.push({ line: row.line, code: 'LINE_SYNTAX', field: '', message: row.message });
    else if (row.kind === 'values') this.fromValues(row.line, row.values, batch);
    else this.fromObject(row.line, row.fields, batch);
  }

  finish(): void {
    if (!this.end) throw new RempartError('FILE_TRUNCATED', 'ligne de fin absente');
    if (this.end.count !== this.dataLines) {
      const cut = this.cutLine === undefined ? '' : ` ; la ligne ${this.cutLine} est coupée par un saut de ligne entre guillemets, ce qui ajoute une ligne`;
      throw new RempartError('FILE_TRUNCATED', `la ligne de fin annonce ${this.end.count} lignes, le fichier en contient ${this.dataLines}${cut}`);
    }
  }

  private readHeader(row: RawRow): string[] {
    if (row.kind !== 'values') throw new RempartError('FILE_HEADER', 'ligne 2 : en-tête de colonnes attendu');
    const columns = row.values.map((value) => value.trim());
    const unknown = columns.filter((column) => !this.spec.known.includes(column));
    const missing = this.spec.required.filter((column) => !columns.includes(column));
    const repeated = columns.filter((column, index) => columns.indexOf(column) !== index);
    if (unknown.length + missing.length + repeated.length > 0) {
      const parts = [
        unknown.length > 0 ? `colonnes inconnues : ${unknown.join(', ')}` : '',
        missing.length > 0 ? `colonnes absentes : ${missing.join(', ')}` : '',
        repeated.length > 0 ? `colonnes répétées : ${repeated.join(', ')}` : '',
      ];
      throw new RempartError('FILE_HEADER', parts.filter(Boolean).join(' ; '));
    }
    return columns;
  }

  private fromValues(line: number, values: string[], batch: RecordBatch): void {
    const columns = this.columns ?? [];
    if (values.length !== columns.length) {
      const message = `${values.length} champs au lieu de ${columns.length}`;
      batch.unreadable.push({ line, code: 'LINE_SYNTAX', field: '', message });
      return;
    }
    const fields: Record<string, string> = {};
    columns.forEach((column, index) => (fields[column] = values[index] ?? ''));
    batch.records.push({ line, fields });
  }

  private fromObject(line: number, fields: Record<string, string>, batch: RecordBatch): void {
    const unknown = Object.keys(fields).filter((key) => !this.spec.known.includes(key));
    const faults = unknown.map((field): Reject => ({ line, field, code: 'FIELD_UNKNOWN', message: `champ « ${field} » inconnu` }));
    batch.records.push(faults.length > 0 ? { line, fields, faults } : { line, fields });
  }
}
