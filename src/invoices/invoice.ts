import type { CalendarDate } from '../domain/dates.js';
import type { InvoiceStatus, LineOutcome } from '../domain/invoices/adjudicate.js';
import type { ReasonCode } from '../domain/invoices/reasons.js';

/** An invoice's status: a decision's, or held for the insurer's review (a near duplicate, migration 034), nothing paid until then. */
export type StoredStatus = InvoiceStatus | 'held';

/** A line as stored in invoice.lines (migration 028) and answered; held with its invoice until the review decides it. */
export interface StoredInvoiceLine {
  actCode: string;
  domain: string;
  outcome: LineOutcome | 'held';
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
  /** The platform's number of the invoice this one corrects (`remplace`), null otherwise. */
  replaces: string | null;
  careDate: CalendarDate;
  status: StoredStatus;
  reason: ReasonCode | null;
  claimedCents: number;
  paidCents: number;
  lines: StoredInvoiceLine[];
  rules: string;
  /** A resend: the decision already stored under this key. */
  replayed: boolean;
  /** What happened to it since, as the consultation tells it (absent from a lot's answer). */
  since?: InvoiceSince;
}

/** An invoice's cancellation, as stored (migration 029, invoice_cancellation_of). */
export interface StoredCancellation {
  cause: 'cancelled' | 'replaced';
  reason: string | null;
  at: string;
  recoveryCents: number | null;
}

/** A decision's later life: cancelled (by the site, or by the correction that replaced it), or a rejected invoice corrected. */
export interface InvoiceSince {
  cancellation: StoredCancellation | null;
  replacedBy: string | null;
}

/** Why an invoice of the lot is refused without a decision: its key reused with another body, or a correction that cannot replace what it names. */
export const INVOICE_REFUSALS = ['INVOICE_KEY_REUSED', 'INVOICE_REPLACED_UNKNOWN', 'INVOICE_REPLACEMENT_REFERENCE', 'INVOICE_ALREADY_CANCELLED'] as const;
export type InvoiceRefusalCode = (typeof INVOICE_REFUSALS)[number];

/** An invoice of the lot refused without a decision: nothing stored, nothing changed. */
export interface InvoiceRefusal {
  invoiceNumber: string;
  refusal: InvoiceRefusalCode;
}

/** An invoice row as to_jsonb gives it (disclose_invoice_terms, disclose_invoice). */
export interface StoredInvoice {
  number: string;
  lot: string;
  invoice_number: string;
  body_hash: string;
  engagement: string;
  prior_agreement: string | null;
  replaces: string | null;
  care_date: CalendarDate;
  status: StoredStatus;
  reason: ReasonCode | null;
  claimed_cents: number;
  paid_cents: number;
  lines: StoredInvoiceLine[];
  rules: string;
  /** The transfer that pays it (migration 032 sets it when a payment run links it); null until then. */
  payment?: string | null;
}

export function outcomeOfStored(stored: StoredInvoice, replayed: boolean): InvoiceOutcome {
  return {
    invoiceNumber: stored.invoice_number, number: stored.number, engagement: stored.prior_agreement === null ? stored.engagement : null, agreement: stored.prior_agreement,
    replaces: stored.replaces ?? null, careDate: stored.care_date, status: stored.status, reason: stored.reason, claimedCents: Number(stored.claimed_cents),
    paidCents: Number(stored.paid_cents), lines: stored.lines, rules: stored.rules, replayed,
  };
}
