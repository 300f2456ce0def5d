import type { Database, Tx } from '../../db/database.js';
import { DAY_MS, todayUtc, type CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { messageIdOf, planPayments } from '../../domain/payments/index.js';
import type { Pain001Version } from '../sepa/schema.js';
import { recordPlan, type WithheldSummary } from './record.js';
import { accountsAt, insurersOf, openRecoveries, payableSums } from './select.js';

/** What a run tells its caller (the command's report): made now, or found already made. */
export interface RunReport {
  runDate: CalendarDate;
  created: boolean;
  messageId: string;
  version: Pain001Version;
  transfers: number;
  invoices: number;
  amountCents: number;
  recoveredCents: number;
  withheld: WithheldSummary[];
}

interface RunRow {
  message_id: string;
  version: Pain001Version;
  transfer_count: number;
  invoice_count: string;
  amount_cents: string;
  recovered_cents: string;
  withheld: WithheldSummary[];
}

/** One run at a time on the platform: a second one waits, then finds the day's run made. */
const RUN_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('rempart.payment_run', 0))";

/**
 * The payment run of `runDate` (issue 18, point 2): every payable invoice decided before
 * the run's cut-off (the end of the day, or now when run on that day), with the open
 * recoveries of cancelled paid invoices, planned into one transfer per payee account and stored in one transaction with the run's row. A day
 * already run is found and reported, nothing written: the file is then made again from
 * what was stored (file.ts). A day to come is refused.
 */
export async function runPayments(db: Database, runDate: CalendarDate, now: Date, version: Pain001Version = 'pain.001.001.09'): Promise<RunReport> {
  refuseFutureRun(runDate, now);
  return db.transaction('platform', async (tx) => {
    await tx.query(RUN_LOCK);
    const stored = await storedRun(tx, runDate);
    if (stored) return stored;
    const cutOffAt = new Date(Math.min(Date.parse(runDate) + DAY_MS, now.getTime()));
    const insurers = await insurersOf(tx);
    const sums = await payableSums(tx, insurers, cutOffAt);
    const recoveries = await openRecoveries(tx, insurers, cutOffAt);
    const accounts = await accountsAt(tx, [...new Set([...sums, ...recoveries].map((s) => s.siteId))], now);
    const plan = planPayments(runDate, sums, recoveries, (siteId) => accounts.get(siteId));
    const header = { runDate, startedAt: now, cutOffAt, executionDate: todayUtc(now), messageId: messageIdOf(runDate), version };
    await recordPlan(tx, header, plan, insurers);
    const made = await storedRun(tx, runDate);
    if (!made) throw new Error(`paiement du ${runDate} écrit mais introuvable`);
    return { ...made, created: true };
  });
}

/** A day to come cannot be paid (PAYMENT_RUN_FUTURE): checked by the run, and by the command before it opens anything. */
export function refuseFutureRun(runDate: CalendarDate, now: Date): void {
  if (runDate > todayUtc(now)) throw new RempartError('PAYMENT_RUN_FUTURE', `${runDate} après ${todayUtc(now)}`);
}

async function storedRun(tx: Tx, runDate: CalendarDate): Promise<RunReport | undefined> {
  const found = await tx.query<RunRow>(
    'SELECT message_id, version, transfer_count, invoice_count, amount_cents, recovered_cents, withheld FROM payment_run WHERE run_date = $1',
    [runDate],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  return {
    runDate, created: false, messageId: row.message_id, version: row.version, transfers: Number(row.transfer_count), invoices: Number(row.invoice_count),
    amountCents: Number(row.amount_cents), recoveredCents: Number(row.recovered_cents), withheld: row.withheld,
  };
}
