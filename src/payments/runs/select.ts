import { enterInsurerScope, type Tx } from '../../db/database.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { AmcNumber } from '../../domain/identifiers/amc-number.js';
import { cents } from '../../domain/money.js';
import { parseBankAccount, type BankAccount, type PayableInvoice, type Recovery } from '../../domain/payments/index.js';

export interface Insurer {
  id: number;
  amc: AmcNumber;
}

interface SumRow {
  site_id: string;
  invoices: number;
  paid_cents: string;
  last_decided: string;
}

/** The name of a (insurer, site) sum in the plan: unique, and telling which pair it is. */
export function sumNumber(insurerId: number, siteId: number): string {
  return `O${insurerId}-S${siteId}`;
}

/**
 * Every insurer's payable invoices decided before `until`, summed per site in SQL
 * (payable_sums, migration 032): one plan entry per (insurer, site), whatever the number
 * of invoices. Each insurer is read in its own scope, inside the run's transaction.
 */
export async function payableSums(tx: Tx, insurers: readonly Insurer[], until: Date): Promise<PayableInvoice[]> {
  const sums: PayableInvoice[] = [];
  for (const insurer of insurers) {
    await enterInsurerScope(tx, insurer.id);
    const found = await tx.query<SumRow>("SELECT site_id, invoices, paid_cents, to_char(last_decided, 'YYYY-MM-DD') AS last_decided FROM payable_sums($1)", [until]);
    for (const row of found.rows) {
      const siteId = Number(row.site_id);
      const day = row.last_decided as CalendarDate;
      sums.push({
        insurerId: insurer.id, amcNumber: insurer.amc, number: sumNumber(insurer.id, siteId), siteId,
        paidCents: cents(Number(row.paid_cents)), careDate: day, decidedOn: day, invoiceCount: Number(row.invoices),
      });
    }
  }
  return sums;
}

/**
 * Every insurer's recoveries (029: a paid invoice cancelled) not netted yet and recorded
 * before `until`, one by one: they are few (cancellations after payment), and each is netted
 * whole by exactly one transfer.
 */
export async function openRecoveries(tx: Tx, insurers: readonly Insurer[], until: Date): Promise<Recovery[]> {
  const recoveries: Recovery[] = [];
  for (const insurer of insurers) {
    await enterInsurerScope(tx, insurer.id);
    const found = await tx.query<{ invoice: string; site_id: string; amount_cents: string; day: string }>(
      `SELECT invoice, site_id, amount_cents, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
         FROM invoice_recovery WHERE insurer_id = $1 AND netted_by IS NULL AND created_at < $2`,
      [insurer.id, until],
    );
    for (const row of found.rows) {
      recoveries.push({
        id: row.invoice, insurerId: insurer.id, siteId: Number(row.site_id), amountCents: cents(Number(row.amount_cents)),
        originInvoice: row.invoice, recordedOn: row.day as CalendarDate,
      });
    }
  }
  return recoveries;
}

export async function insurersOf(tx: Tx): Promise<Insurer[]> {
  const found = await tx.query<{ id: number; amc_number: string }>('SELECT id, amc_number FROM insurer ORDER BY id');
  return found.rows.map((row) => ({ id: Number(row.id), amc: row.amc_number as AmcNumber }));
}

/**
 * Each site's account in effect at the run's instant (site_account_at, migration 031), read
 * once: the run copies it into its transfers. A stored account that no longer parses is
 * treated as none (its invoices wait) rather than sent to a bank; one a returned transfer
 * flagged (site_accounts_flagged, 033) is 'flagged': its invoices wait for a new account.
 */
export async function accountsAt(tx: Tx, siteIds: readonly number[], at: Date): Promise<Map<number, BankAccount | 'flagged'>> {
  const found = await tx.query<{ site: string; iban: string; bic: string; holder: string }>(
    'SELECT s.site, a.iban, a.bic, a.holder FROM unnest($1::bigint[]) AS s(site) CROSS JOIN LATERAL site_account_at(s.site, $2) a',
    [siteIds, at],
  );
  const accounts = new Map<number, BankAccount | 'flagged'>();
  for (const row of found.rows) {
    const parsed = parseBankAccount({ iban: row.iban, bic: row.bic, holder: row.holder });
    if (parsed.ok) accounts.set(Number(row.site), parsed.value);
  }
  const flagged = await tx.query<{ site: string }>('SELECT site_accounts_flagged AS site FROM site_accounts_flagged($1::bigint[], $2)', [siteIds, at]);
  for (const row of flagged.rows) accounts.set(Number(row.site), 'flagged');
  return accounts;
}
