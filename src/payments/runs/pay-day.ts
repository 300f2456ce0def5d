import { join } from 'node:path';
import type { Database } from '../../db/database.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { Pain001Version } from '../sepa/schema.js';
import { debtorFromEnv } from './config.js';
import { runFile, writeRunFile } from './file.js';
import { runPayments, type RunReport } from './run.js';

export interface PayDayOptions {
  /** Where the file goes; by default the data home's payments folder. */
  dir: string;
  version?: Pain001Version;
  env: NodeJS.ProcessEnv;
}

/** Where a data home keeps its payment files. */
export function paymentsDir(home: string): string {
  return join(home, 'payments');
}

/**
 * A day's payments as the command and the server's schedule make them: the debtor's
 * account checked first (a run stored without the means to write its file would wait for
 * a fix), the run stored (or found), then its file written from what was stored. Killed
 * anywhere, made again: the same rows, the same file.
 */
export async function payDay(db: Database, runDate: CalendarDate, now: Date, options: PayDayOptions): Promise<RunReport & { file: string | null }> {
  const debtor = debtorFromEnv(options.env);
  const report = await runPayments(db, runDate, now, options.version);
  const file = await runFile(db, runDate, debtor, options.version);
  return { ...report, file: file ? writeRunFile(options.dir, file) : null };
}
