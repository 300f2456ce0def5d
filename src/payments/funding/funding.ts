import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../db/database.js';
import { addDays, addMonths, parseCalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { DecisionPeriod } from '../../domain/invoices/period.js';

/** What an insurer funds for one run day (insurer_funding, migration 032), in the API's words. */
export interface FundingDay {
  jour: string;
  factures: number;
  montantFactures: number;
  recuperations: number;
  montantRecupere: number;
  aFinancer: number;
}

interface FundingRow {
  day: string;
  invoice_count: number;
  invoiced_cents: string;
  recovery_count: number;
  recovered_cents: string;
  funding_cents: string;
}

/**
 * The insurer's funding statements of the period's run days, oldest first. Read in the
 * insurer's scope: the table's row-level security shows no other insurer's rows, whatever
 * the query says.
 */
export async function fundingDays(db: Database, insurerId: number, period: DecisionPeriod): Promise<FundingDay[]> {
  const found = await db.transaction({ insurerId }, (tx) =>
    tx.query<FundingRow>(
      `SELECT to_char(run_date, 'YYYY-MM-DD') AS day, invoice_count, invoiced_cents, recovery_count, recovered_cents, funding_cents
         FROM insurer_funding WHERE run_date BETWEEN $1 AND $2 ORDER BY run_date`,
      [period.from, period.to],
    ),
  );
  return found.rows.map((r) => ({
    jour: r.day, factures: Number(r.invoice_count), montantFactures: Number(r.invoiced_cents), recuperations: Number(r.recovery_count),
    montantRecupere: Number(r.recovered_cents), aFinancer: Number(r.funding_cents),
  }));
}

/** A month as the monthly statement names it (AAAA-MM): its first and last days. */
export function monthPeriod(month: string): DecisionPeriod {
  const first = parseCalendarDate(`${month}-01`);
  if (!/^[0-9]{4}-[0-9]{2}$/.test(month) || !first.ok) throw new RempartError('DATE_INVALID', `mois « ${month} » : AAAA-MM attendu`);
  return { from: first.value, to: addDays(addMonths(first.value, 1), -1) };
}

const COLUMNS = ['jour', 'factures', 'montantFactures', 'recuperations', 'montantRecupere', 'aFinancer'] as const;

/**
 * The monthly statement: one line per run day, then the month's total (jour « total »);
 * amounts in cents, semicolons, a byte-order mark so that a spreadsheet reads it as UTF-8.
 * A month has at most 31 lines: built whole.
 */
export function fundingCsv(days: readonly FundingDay[]): string {
  const total = (pick: (d: FundingDay) => number): number => days.reduce((sum, d) => sum + pick(d), 0);
  const totals: FundingDay = {
    jour: 'total', factures: total((d) => d.factures), montantFactures: total((d) => d.montantFactures), recuperations: total((d) => d.recuperations),
    montantRecupere: total((d) => d.montantRecupere), aFinancer: total((d) => d.aFinancer),
  };
  return stringify([...days, totals], { delimiter: ';', header: true, bom: true, columns: [...COLUMNS] });
}
