import type { CalendarDate } from '../domain/dates.js';
import type { InvoiceStatus, LineOutcome } from '../domain/invoices/adjudicate.js';
import type { ReasonCode } from '../domain/invoices/reasons.js';

/** A line as stored in invoice.lines (migration 028) and answered. */
export interface StoredInvoiceLine {
  actCode: string;
  domain: string;
  outcome: LineOutcome;
  claimedCents: number;
  paidCents: number;
  reason: ReasonCode | null;
  rule: string | null;
}

/** An invoice's decision, as stored, or as answered without being stored (a reference unknown to the site). */
export interface InvoiceOutcome {
  /** The sender's number. */
  invoiceNumber: string;
  /** The platform's (F…), null when nothing was stored. */
  number: string | null;
  engagement: string | null;
  agreement: string | null;
  careDate: CalendarDate;
  status: InvoiceStatus;
  reason: ReasonCode | null;
  claimedCents: number;
  paidCents: number;
  lines: StoredInvoiceLine[];
  rules: string;
  /** A resend: the decision already stored under this key. */
  replayed: boolean;
}

/** An invoice of the lot refused without a decision (its key reused with another body): nothing stored, nothing changed. */
export interface InvoiceRefusal {
  invoiceNumber: string;
  refusal: 'INVOICE_KEY_REUSED';
}

/** An invoice row as to_jsonb gives it (disclose_invoice_terms, disclose_invoice). */
export interface StoredInvoice {
  number: string;
  lot: string;
  invoice_number: string;
  body_hash: string;
  engagement: string;
  prior_agreement: string | null;
  care_date: CalendarDate;
  status: InvoiceStatus;
  reason: ReasonCode | null;
  claimed_cents: number;
  paid_cents: number;
  lines: StoredInvoiceLine[];
  rules: string;
}

export function outcomeOfStored(stored: StoredInvoice, replayed: boolean): InvoiceOutcome {
  return {
    invoiceNumber: stored.invoice_number, number: stored.number, engagement: stored.prior_agreement === null ? stored.engagement : null, agreement: stored.prior_agreement,
    careDate: stored.care_date, status: stored.status, reason: stored.reason, claimedCents: Number(stored.claimed_cents),
    paidCents: Number(stored.paid_cents), lines: stored.lines, rules: stored.rules, replayed,
  };
}
