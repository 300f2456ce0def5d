import type { Database } from '../../db/database.js';
import type { DecisionPeriod } from '../../domain/invoices/period.js';
import type { InvoiceOutcome } from '../invoice.js';
import type { InvoiceCursor } from './cursor.js';

/** What the insurer's invoice reads need: the serving role's database and the clock (the default period is today). */
export interface InsurerInvoicesDeps {
  db: Database;
  now: () => Date;
}

/** One invoice as its insurer's agents see it: who cared and for what, never who was cared for. */
export interface InsurerInvoice {
  number: string;
  finess: string | null;
  siret: string | null;
  rpps: string;
  care_date: string;
  care_domains: string[];
  status: InvoiceOutcome['status'];
  reason: string | null;
  claimed_cents: number;
  paid_cents: number;
  decided_at: Date;
  decided_micros: number;
}

export interface InvoiceFilter {
  period: DecisionPeriod;
  status?: InvoiceOutcome['status'];
  reason?: string;
}

export interface InvoicePage {
  rows: InsurerInvoice[];
  /** Where the next page starts; null on the last one. */
  next: InvoiceCursor | null;
}

/**
 * A page of the insurer's invoices, newest first. The insurer is the transaction's scope,
 * never a parameter: the database function reads only that insurer's rows (migration 030).
 */
export async function invoicePage(db: Database, insurerId: number, filter: InvoiceFilter, after: InvoiceCursor | undefined, limit: number): Promise<InvoicePage> {
  const found = await db.transaction({ insurerId }, (tx) =>
    tx.query<InsurerInvoice>('SELECT * FROM insurer_invoices($1::date, $2::date, $3, $4, $5::bigint, $6, $7)', [
      filter.period.from, filter.period.to, filter.status ?? null, filter.reason ?? null, after?.micros ?? null, after?.number ?? null, limit + 1,
    ]),
  );
  const rows = found.rows.slice(0, limit);
  const last = rows.at(-1);
  return { rows, next: found.rows.length > limit && last ? { micros: last.decided_micros, number: last.number } : null };
}

/** A held invoice (migration 034) as its insurer's agents see it, with the earlier invoice it repeats. */
export interface HeldInvoice extends Omit<InsurerInvoice, 'decided_micros'> {
  duplicate_of: string;
}

/** The most held invoices a list gives: a review queue, oldest first, worked through from its head. */
export const HELD_LIMIT = 500;

/** The insurer's near duplicates waiting for review, oldest first (the transaction's scope, as above). */
export async function heldInvoices(db: Database, insurerId: number): Promise<HeldInvoice[]> {
  const found = await db.transaction({ insurerId }, (tx) => tx.query<HeldInvoice>('SELECT * FROM insurer_invoices_held($1)', [HELD_LIMIT]));
  return found.rows;
}

/** Rows per round trip of an export: memory stays flat whatever the period holds. */
export const EXPORT_BATCH = 1_000;

/**
 * Every invoice of the filter, page after page (each its own short transaction). Newest
 * first, so an invoice decided while the export runs lies before its first page, and no
 * row is seen twice or skipped.
 */
export async function* invoiceBatches(db: Database, insurerId: number, filter: InvoiceFilter, batch = EXPORT_BATCH): AsyncGenerator<InsurerInvoice[]> {
  let after: InvoiceCursor | undefined;
  for (;;) {
    const page = await invoicePage(db, insurerId, filter, after, batch);
    if (page.rows.length > 0) yield page.rows;
    if (!page.next) return;
    after = page.next;
  }
}

export interface ReasonTotal {
  reason: string;
  rejected: number;
  reduced: number;
  claimed_cents: number;
  unpaid_cents: number;
}

/** Rejected and reduced invoices of the period by reason, largest unpaid amount first. */
export const rejectionsByReason = periodTotals<ReasonTotal>('insurer_invoice_rejections');

export interface DayDue {
  day: string;
  invoices: number;
  due_cents: number;
}

/** What the insurer must fund per day of decision, in day order. */
export const dueByDay = periodTotals<DayDue>('insurer_invoice_due');

/** A read of totals over a period by one of migration 030's functions, in the insurer's scope. */
function periodTotals<R>(fn: 'insurer_invoice_rejections' | 'insurer_invoice_due'): (db: Database, insurerId: number, period: DecisionPeriod) => Promise<R[]> {
  return async (db, insurerId, period) => {
    const found = await db.transaction({ insurerId }, (tx) => tx.query<R>(`SELECT * FROM ${fn}($1::date, $2::date)`, [period.from, period.to]));
    return found.rows;
  };
}
