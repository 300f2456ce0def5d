import { stringify, type Stringifier } from 'csv-stringify';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import { ErrorCodes, type ErrorCode } from '../../domain/errors/codes.js';

export interface Reject {
  line: number;
  field: string;
  code: ErrorCode;
  /** Detail for the person who fixes the file; never the rejected value itself (it may be a NIR). */
  message: string;
}

/**
 * The line-numbered reject report of a load (docs/formats.md): one CSV row per fault,
 * written as the load goes so that memory stays bounded whatever the number of rejects.
 */
export class RejectReport {
  count = 0;
  private readonly csv: Stringifier;
  private readonly file: WriteStream;
  private readonly source: string;

  constructor(
    readonly path: string,
    sourcePath: string,
  ) {
    this.source = basename(sourcePath);
    this.file = createWriteStream(path);
    this.csv = stringify({ delimiter: ';', header: true, columns: ['fichier', 'ligne', 'champ', 'code', 'message'] });
    this.csv.pipe(this.file);
  }

  async add(rejects: readonly Reject[]): Promise<void> {
    for (const reject of rejects) {
      this.count += 1;
      const message = reject.message === '' ? ErrorCodes[reject.code].message : reject.message;
      if (!this.csv.write([this.source, reject.line, reject.field, reject.code, message])) await once(this.csv, 'drain');
    }
  }

  async close(): Promise<void> {
    this.csv.end();
    await once(this.file, 'close');
  }
}
