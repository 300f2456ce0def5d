import { stringify, type Stringifier } from 'csv-stringify';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';

/**
 * A `;` CSV report written row by row as a load goes, so that memory stays bounded
 * whatever its length. The file is created at the first row (or by `start`), with its
 * folder.
 */
export class CsvReport {
  private output: { csv: Stringifier; file: WriteStream } | undefined;
  private rows = 0;

  constructor(
    readonly path: string,
    private readonly columns: readonly string[],
  ) {}

  /** Rows written since the report was (re)started. */
  get count(): number {
    return this.rows;
  }

  /** Creates the file even if no row follows: a header alone says "nothing to report". */
  start(): void {
    if (this.output) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const file = createWriteStream(this.path);
    const csv = stringify({ delimiter: ';', header: true, columns: [...this.columns] });
    csv.pipe(file);
    this.output = { csv, file };
  }

  async write(row: readonly unknown[]): Promise<void> {
    this.start();
    const csv = this.output?.csv;
    this.rows += 1;
    if (csv && !csv.write(row)) await once(csv, 'drain');
  }

  async close(): Promise<void> {
    const output = this.output;
    if (!output) return;
    this.output = undefined;
    output.csv.end();
    await once(output.file, 'close');
  }

  /** Empties the report, for a file read again from its start. */
  async restart(): Promise<void> {
    const started = this.output !== undefined;
    await this.close();
    this.rows = 0;
    if (started) this.start();
  }
}
