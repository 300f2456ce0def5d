import { nearDuplicateOf, type EarlierInvoice } from '../domain/invoices/duplicates.js';
import type { InvoiceOutcome } from './invoice.js';
import type { InvoiceRequest } from './lot-request.js';

/** An entry of disclose_invoice_read's `earlier` (migration 041, from invoice_earlier, 034): a live invoice of the same beneficiary, care date and site. */
export interface EarlierRow {
  number: string;
  lot: string;
  invoice_number: string;
  acts: string[];
}

/** Where the candidate stands: which site, which beneficiary (the engagement's), its key. */
export interface Candidate {
  siteId: number;
  beneficiaryId: number;
  lot: string;
  invoice: InvoiceRequest;
}

/**
 * The earlier invoice this one repeats (src/domain/invoices/duplicates.ts), or null. The
 * earlier invoices are read in the statement that read the terms (migration 041), after it
 * took the lock of the invoice's domains for its beneficiary: a near duplicate shares an
 * act, hence a domain, hence that lock, so of two sent in parallel the second reads the
 * first once it is committed.
 */
export function nearDuplicate(candidate: Candidate, rows: readonly EarlierRow[]): string | null {
  const { invoice } = candidate;
  const key = { siteId: candidate.siteId, beneficiaryId: candidate.beneficiaryId, careDate: invoice.careDate, lot: candidate.lot, invoiceNumber: invoice.number };
  const earlier = rows.map((row): EarlierInvoice => ({ ...key, number: row.number, lot: row.lot, invoiceNumber: row.invoice_number, actCodes: row.acts, live: true }));
  return nearDuplicateOf({ ...key, actCodes: invoice.lines.map((claimed) => claimed.line.actCode) }, earlier);
}

/** An invoice as held: its claim, nothing paid, each line waiting for the review, FAC_DUPLICATE. The returns show a hold so even once decided. */
export function asHeld(outcome: InvoiceOutcome): InvoiceOutcome {
  return {
    ...outcome, status: 'held', reason: 'FAC_DUPLICATE', paidCents: 0,
    lines: outcome.lines.map((line) => ({ ...line, outcome: 'held', paidCents: 0, reason: 'FAC_DUPLICATE', rule: null })),
  };
}

/** Parameters: insurer, lot, invoice number, platform number, body hash, engagement, agreement, care date, domains, claimed, lines, request's lines, duplicate of, rules, now, professional, site, client. */
export const HOLD_SQL = 'SELECT invoice_hold_record($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11::jsonb, $12::jsonb, $13, $14, $15, $16, $17, $18)';
