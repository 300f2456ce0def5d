import { openDatabase } from '../src/db/open.js';
import { today } from '../src/clock.js';
import { addDays } from '../src/domain/dates.js';
import { parseCamt } from '../src/payments/reconciliation/camt.js';
import { importStatement } from '../src/payments/reconciliation/import.js';
import { bankFileXml, type WrittenEntry } from '../src/payments/reconciliation/sample.js';
import { adminQuery, machine, scratchDatabase, table } from './support.js';

export interface CamtBenchOptions {
  entries: number;
  /** One transfer in `returnEvery` comes back returned (AC04). */
  returnEvery: number;
}

const GOAL_SECONDS = 30;

/**
 * Issue 18's figure: a camt.054 of `entries` transfers reconciled on the server, goal ≤ 30 s.
 * The run's transfers are written straight as the owner (the run itself is bench/payments.ts's);
 * the file is the sample's builder (sample.ts), so it validates against the official schema.
 * Measured apart: reading the file (parse, XSD validation, entries), then the whole import
 * (the same read, then the one transaction). A returned transfer here has no invoices nor
 * shares: it measures the matching and the status moves, not the re-opening of invoices.
 */
export async function benchCamt(options: CamtBenchOptions): Promise<void> {
  const scratch = await scratchDatabase();
  try {
    const db = await openDatabase({ url: scratch.url, maxConnections: 2 });
    const runDate = addDays(today(), -1);
    await adminQuery(scratch.url, seedSql(runDate, options.entries));
    const payments = await adminQuery<{ id: string; amount_cents: string }>(scratch.url, `SELECT id, amount_cents FROM payment ORDER BY id`);
    const entries = payments.map((p, n): WrittenEntry => {
      const returned = n % options.returnEvery === 0;
      return { endToEndId: p.id, amountCents: Number(p.amount_cents), direction: returned ? 'CRDT' : 'DBIT', bookedOn: today(), ...(returned ? { reason: 'AC04' } : {}) };
    });
    const xml = bankFileXml('camt.054.001.08', { messageId: 'BENCH-CAMT', reportId: 'BENCH-NTFCTN', createdAt: new Date(), iban: 'FR7630004000010099000001123', entries });
    const read = timed(() => parseCamt(xml));
    const started = process.hrtime.bigint();
    const report = await importStatement(db, xml, new Date());
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await db.close();
    process.stdout.write(`${await machine()}\n\n`);
    process.stdout.write(`${table([
      ['mesure', 'valeur'],
      ['fichier camt.054', `${options.entries} opérations, ${(xml.length / 2 ** 20).toFixed(1)} Mo`],
      ['lecture (XML, XSD, opérations)', `${read.toFixed(2)} s`],
      ['import complet (lecture + transaction)', `${seconds.toFixed(2)} s`],
      ['réglés / rejetés / exceptions', `${report.regles} / ${report.rejetes} / ${report.exceptions}`],
    ])}\n\n`);
    process.stdout.write(`Rapprochement de ${options.entries} opérations : ${seconds.toFixed(1)} s (objectif ≤ ${GOAL_SECONDS} s : ${seconds <= GOAL_SECONDS ? 'atteint' : 'non atteint'})\n`);
  } finally {
    await scratch.drop();
  }
}

function timed(work: () => unknown): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** A stored run of `count` instructed transfers, one per synthetic account, as the owner writes it. */
function seedSql(runDate: string, count: number): string {
  const compact = runDate.replaceAll('-', '');
  return `
    SET ROLE rempart_owner;
    INSERT INTO payment_run (run_date, started_at, cut_off_at, execution_date, recorded_at, message_id, version, transfer_count, invoice_count, amount_cents, recovered_cents, withheld)
    VALUES ('${runDate}', now(), now(), current_date, now(), 'RM${compact}-001', 'pain.001.001.09', ${count}, 0, 0, 0, '[]');
    INSERT INTO payment (id, run_date, iban, bic, holder, amount_cents, invoiced_cents, recovered_cents, remittance)
    SELECT 'RP${compact}-' || lpad(upper(to_hex(g)), 13, '0'), '${runDate}', 'FR76' || lpad(g::text, 23, '0'), 'AGRIFRPP', 'Structure ' || g,
           1000 + g, 1000 + g, 0, 'REMPART bench ' || g
      FROM generate_series(1, ${count}) g;`;
}
