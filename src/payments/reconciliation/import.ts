import { enterInsurerScope, type Database, type Tx } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { cents } from '../../domain/money.js';
import { reconcileEntries, type BankException, type KnownPayment, type PaymentStatus, type Reconciliation } from '../../domain/payments/index.js';
import { parseCamt, type BankFile } from './camt.js';

/** What an import tells the operator: counts only (the exceptions are listed on their own). */
export interface ImportReport {
  fichier: string;
  version: string;
  mouvements: number;
  rapproches: number;
  regles: number;
  rejetes: number;
  dejaConnus: number;
  exceptions: number;
  facturesRouvertes: number;
}

/** One import at a time: the second finds the first's statement, and the statuses it moved. */
const IMPORT_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('rempart.bank_statement', 0))";

/**
 * A bank file imported (issue 18, point 4): read and validated whole first (camt.ts), then,
 * in one transaction, refused if its message or one of its statements was imported before
 * (CAMT_ALREADY_IMPORTED), reconciled against the transfers it names
 * (src/domain/payments/reconcile.ts) and applied through migration 033's guarded
 * functions: settled transfers, returned ones with their invoices re-opened insurer by
 * insurer and their accounts flagged, the exceptions listed. Any refusal changes nothing.
 */
export async function importStatement(db: Database, xml: string | Uint8Array, now: Date): Promise<ImportReport> {
  const file = parseCamt(xml);
  return db.transaction('platform', async (tx) => {
    await tx.query(IMPORT_LOCK);
    await refuseKnown(tx, file);
    const plan = reconcileEntries(file.entries, await knownPayments(tx, file));
    await recordStatement(tx, file, plan, now);
    await settle(tx, file.messageId, plan.settled);
    let reopened = 0;
    for (const back of plan.returned) reopened += await returnPayment(tx, file.messageId, back, now);
    await recordExceptions(tx, file.messageId, plan.exceptions);
    return {
      fichier: file.messageId, version: file.version, mouvements: file.entries.length,
      rapproches: plan.settled.length + plan.returned.length + plan.known, regles: plan.settled.length, rejetes: plan.returned.length,
      dejaConnus: plan.known, exceptions: plan.exceptions.length, facturesRouvertes: reopened,
    };
  });
}

async function refuseKnown(tx: Tx, file: BankFile): Promise<void> {
  const found = await tx.query<{ id: string }>(
    'SELECT message_id AS id FROM bank_statement WHERE message_id = $1 UNION ALL SELECT id FROM bank_report WHERE id = ANY($2::text[])',
    [file.messageId, file.reports],
  );
  const known = found.rows[0];
  if (known) throw new RempartError('CAMT_ALREADY_IMPORTED', known.id);
}

/** The transfers the file names, as they stand (under the import's lock). */
async function knownPayments(tx: Tx, file: BankFile): Promise<Map<string, KnownPayment>> {
  const ids = [...new Set(file.entries.flatMap((e) => (e.endToEndId === undefined ? [] : [e.endToEndId])))];
  const found = await tx.query<{ id: string; amount_cents: string; recovered_cents: string; status: PaymentStatus }>(
    'SELECT id, amount_cents, recovered_cents, status FROM payment WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(found.rows.map((row) => [row.id, { amountCents: cents(Number(row.amount_cents)), recoveredCents: cents(Number(row.recovered_cents)), status: row.status }]));
}

async function recordStatement(tx: Tx, file: BankFile, plan: Reconciliation, now: Date): Promise<void> {
  await tx.query(
    'INSERT INTO bank_statement (message_id, version, created_at, imported_at, entries, settled, returned, exceptions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [file.messageId, file.version, file.createdAt, now, file.entries.length, plan.settled.length, plan.returned.length, plan.exceptions.length],
  );
  await tx.query('INSERT INTO bank_report (id, message_id) SELECT unnest($1::text[]), $2', [file.reports, file.messageId]);
}

/** Every settlement in one statement; all of them, or the import stops (the lock makes it a bug). */
async function settle(tx: Tx, messageId: string, settled: Reconciliation['settled']): Promise<void> {
  if (settled.length === 0) return;
  const moved = await tx.query('SELECT payment_settle($1, $2::text[], $3::date[])', [messageId, settled.map((s) => s.payment), settled.map((s) => s.bookedOn)]);
  if (moved.rows.length !== settled.length) throw new Error(`relevé ${messageId} : ${moved.rows.length} virements réglés sur ${settled.length}`);
}

/** A returned transfer (payment_return), then its invoices re-opened in each paying insurer's scope; how many. */
async function returnPayment(tx: Tx, messageId: string, back: Reconciliation['returned'][number], now: Date): Promise<number> {
  const done = await tx.query<{ ok: boolean }>('SELECT payment_return($1, $2, $3, $4, $5) AS ok', [messageId, back.payment, back.bookedOn, back.reason, now]);
  if (done.rows[0]?.ok !== true) throw new Error(`relevé ${messageId} : virement ${back.payment} déjà réglé ou rejeté`);
  const insurers = await tx.query<{ insurer_id: number }>('SELECT DISTINCT insurer_id FROM payment_part WHERE payment = $1 AND invoice_count > 0 ORDER BY insurer_id', [back.payment]);
  let reopened = 0;
  for (const { insurer_id: insurerId } of insurers.rows) {
    await enterInsurerScope(tx, Number(insurerId));
    const found = await tx.query<{ n: number }>('SELECT payment_reopen($1, $2) AS n', [back.payment, now]);
    reopened += Number(found.rows[0]?.n ?? 0);
  }
  return reopened;
}

/** What the operator must look at, in one statement. A reason the database cannot hold (not an ISO code) is kept out; its kind says it. */
async function recordExceptions(tx: Tx, messageId: string, exceptions: readonly BankException[]): Promise<void> {
  if (exceptions.length === 0) return;
  const column = <T>(pick: (e: BankException) => T): T[] => exceptions.map(pick);
  await tx.query(
    `INSERT INTO bank_exception (message_id, entry, kind, end_to_end_id, amount_cents, booked_on, reason)
     SELECT $1, e.entry, e.kind, e.e2e, e.amount, e.booked, e.reason
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::date[], $7::text[]) AS e(entry, kind, e2e, amount, booked, reason)`,
    [
      messageId, column((e) => e.entry.entry), column((e) => e.kind), column((e) => e.entry.endToEndId ?? null), column((e) => e.entry.amountCents),
      column((e) => e.entry.bookedOn ?? null), column((e) => (/^[A-Z0-9]{1,4}$/.test(e.entry.returnReason ?? '') ? e.entry.returnReason : null)),
    ],
  );
}
