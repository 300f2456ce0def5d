import { basename } from 'node:path';
import { ErrorCodes, type ErrorCode } from '../../domain/errors/codes.js';
import { CsvReport } from './csv-report.js';

export interface Reject {
  line: number;
  field: string;
  code: ErrorCode;
  /** Detail for the person who fixes the file; never the rejected value itself (it may be a NIR). */
  message: string;
}

/** How many of a load's rejects are kept with it in the database (migration 035), for the insurer's console; the CSV holds them all. */
export const REJECTS_KEPT = 1000;

/** The line-numbered reject report of a load (docs/formats.md): one CSV row per fault. */
export class RejectReport {
  private readonly report: CsvReport;
  private readonly source: string;
  /** The first REJECTS_KEPT rejects, messages filled in: bounded memory, whatever the file. */
  readonly kept: Reject[] = [];

  constructor(
    readonly path: string,
    sourcePath: string,
  ) {
    this.source = basename(sourcePath);
    this.report = new CsvReport(path, ['fichier', 'ligne', 'champ', 'code', 'message']);
    this.report.start();
  }

  get count(): number {
    return this.report.count;
  }

  async add(rejects: readonly Reject[]): Promise<void> {
    for (const reject of rejects) {
      const message = reject.message === '' ? ErrorCodes[reject.code].message : reject.message;
      if (this.kept.length < REJECTS_KEPT) this.kept.push({ ...reject, message });
      await this.report.write([this.source, reject.line, reject.field, reject.code, message]);
    }
  }

  /** Forgets what was reported: the file is being read again from its start. */
  restart(): Promise<void> {
    this.kept.length = 0;
    return this.report.restart();
  }

  close(): Promise<void> {
    return this.report.close();
  }
}
