import type { Caller } from '../access/caller.js';
import type { Tx } from '../db/database.js';
import { insurerNamed } from '../claims/calculate.js';
import { RempartError } from '../domain/errors/codes.js';
import { disclose } from '../disclosure/door.js';
import { professionalAudience } from '../disclosure/professional.js';
import { callerParamsSeals } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import type { StoredCancellation, StoredInvoice } from './invoice.js';

/** A page of the returns feed as asked: whose (the AMC), from where (the cursor's position, or a time for a first page), how many. */
export interface ReturnsRequest {
  amc: string;
  /** The last sequence read, from the cursor; null for a first page. */
  after: string | null;
  since: Date | null;
  limit: number;
}

/** One entry of the journal (migration 029, invoice_return): a hold for review (034), a decision or a cancellation, with its invoice. */
export interface ReturnEntry {
  kind: 'held' | 'decided' | 'cancelled';
  at: Date;
  invoice: StoredInvoice;
  cancellation: StoredCancellation | null;
  replacedBy: string | null;
  /** The day the bank debited the transfer that pays it, once its statement is imported (migration 033). */
  settledOn?: string;
  /** The last transfer of it the bank returned: its reference, the day and the ISO reason (it is then to pay again). */
  returned?: { payment: string; on: string; reason: string };
}

export interface ReturnsPage {
  amc: string;
  entries: ReturnEntry[];
  /** Where the next page starts: after the last entry given, or where the feed stood. */
  cursor: string;
  /** The page is full: more may follow at once. */
  full: boolean;
}

export const RETURNS_DEFAULT_LIMIT = 50;
export const RETURNS_MAX_LIMIT = 100;

/** A row of disclose_invoice_returns: an entry, or for an empty page a single row with the feed's head. */
interface ReturnRow {
  seq: string | null;
  kind: ReturnEntry['kind'] | null;
  at: Date | null;
  stored: StoredInvoice | null;
  cancellation: StoredCancellation | null;
  replaced_by: string | null;
  head: string | null;
}

const RETURNS_SQL = 'SELECT * FROM disclose_invoice_returns($1, $2::bigint, $3, $4, $5, $6, $7, $8, $9, $10, $11)';

/**
 * The cursor is opaque to software: base64url of a version, the AMC whose feed it walks,
 * and the last sequence read. Bound to its AMC, so that a cursor of one insurer's feed is
 * refused on another's instead of skipping entries there.
 */
export function encodeCursor(amc: string, seq: string): string {
  return Buffer.from(`r1.${amc}.${seq}`, 'utf8').toString('base64url');
}

const CURSOR = /^r1\.([0-9]{8,10})\.(0|[1-9][0-9]{0,17})$/;

/** The sequence a cursor names for this AMC's feed; a cursor of another shape, version or AMC is refused (400 INVOICE_RETURNS_CURSOR) before anything is read. */
export function decodeCursor(cursor: string, amc: string): string {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = CURSOR.exec(text);
  if (!match || match[1] !== amc || encodeCursor(amc, match[2] ?? '') !== cursor) throw new RempartError('INVOICE_RETURNS_CURSOR');
  return match[2] ?? '0';
}

/**
 * A page of the site's returns from one insurer, in the order they were written (the
 * journal's sequence, in commit order for the site: migration 029), through the door: one
 * access record per person the page names, in the statement that reads; an empty page is
 * recorded once, as a miss. The shield admits it as any request of the account and counts
 * no one (every person named was counted when their invoice was decided).
 */
export async function readReturns(deps: RightsDeps, caller: Caller, request: ReturnsRequest, now: Date): Promise<ReturnsPage> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'returns'), {
    purpose: 'invoice',
    insurer: () => insurerNamed(deps, request.amc, 'AMC_UNKNOWN'),
    work: async (tx, insurerId) => {
      const rows = (await tx.query<ReturnRow>(RETURNS_SQL, [
        insurerId, request.after, request.since, request.limit, ...callerParamsSeals(caller, insurerId, 'invoice', request.limit),
      ])).rows;
      const found = rows.flatMap((row): ReturnEntry[] => (row.seq === null || row.kind === null || row.at === null || row.stored === null ? [] : [{
        kind: row.kind, at: new Date(row.at), invoice: row.stored, cancellation: row.cancellation, replacedBy: row.replaced_by,
      }]));
      const entries = await withSettlements(tx, found);
      const last = rows.at(-1);
      const position = String(last?.seq ?? last?.head ?? request.after ?? '0');
      return { answer: { amc: request.amc, entries, cursor: encodeCursor(request.amc, position), full: entries.length === request.limit }, seen: { kind: 'returns' } };
    },
  }, now);
}

/** Each entry with what the bank said of its transfers (migration 033): the debit day of the one that pays it, the last one returned. One read each for the page. */
async function withSettlements(tx: Tx, entries: ReturnEntry[]): Promise<ReturnEntry[]> {
  if (entries.length === 0) return entries;
  const payments = [...new Set(entries.flatMap((e) => (e.invoice.payment ? [e.invoice.payment] : [])))];
  const settled = await tx.query<{ payment: string; booked_on: string }>(
    "SELECT payment, to_char(booked_on, 'YYYY-MM-DD') AS booked_on FROM payment_outcome WHERE payment = ANY($1::text[]) AND status = 'settled'",
    [payments],
  );
  const debited = new Map(settled.rows.map((row) => [row.payment, row.booked_on]));
  const back = await tx.query<{ invoice: string; payment: string; booked_on: string; reason: string }>(
    "SELECT invoice, payment, to_char(booked_on, 'YYYY-MM-DD') AS booked_on, reason FROM payment_returns_of($1::text[])",
    [[...new Set(entries.map((e) => e.invoice.number))]],
  );
  const returned = new Map(back.rows.map((row) => [row.invoice, { payment: row.payment, on: row.booked_on, reason: row.reason }]));
  return entries.map((entry) => {
    const day = entry.invoice.payment ? debited.get(entry.invoice.payment) : undefined;
    const last = returned.get(entry.invoice.number);
    return { ...entry, ...(day === undefined ? {} : { settledOn: day }), ...(last === undefined ? {} : { returned: last }) };
  });
}
