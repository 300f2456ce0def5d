import type { Caller } from '../access/caller.js';
import { RempartError, type ErrorCode } from '../domain/errors/codes.js';
import { rejectWhole } from '../domain/invoices/adjudicate.js';
import type { ReasonCode } from '../domain/invoices/reasons.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { adjudicateInvoice, outcomeOf } from './adjudication.js';
import { INVOICE_REFUSALS, type InvoiceOutcome, type InvoiceRefusal, type InvoiceRefusalCode } from './invoice.js';
import type { InvoiceRequest, LotRequest } from './lot-request.js';

export interface LotOutcome {
  lot: string;
  receivedAt: Date;
  invoices: (InvoiceOutcome | InvoiceRefusal)[];
}

/** The door's refusals that are an invoice's rejection: the reference names nothing this site was given. */
const UNKNOWN: Partial<Record<ErrorCode, ReasonCode>> = { ENGAGEMENT_UNKNOWN: 'ENG_UNKNOWN', PRIOR_AGREEMENT_UNKNOWN: 'PEC_UNKNOWN' };

/**
 * A lot, adjudicated synchronously in this first slice: its invoices one after the other,
 * each a disclosure of its own (one transaction, one access record), so that an invoice
 * decided stays decided whatever happens to the next. Any other refusal (the shield's, an
 * error) stops the lot there and is answered as such: the decisions already made are
 * stored, and the lot resent gets them back unchanged (the key of each invoice).
 */
export async function adjudicateLot(deps: RightsDeps, caller: Caller, lot: LotRequest, now: Date): Promise<LotOutcome> {
  const invoices: (InvoiceOutcome | InvoiceRefusal)[] = [];
  for (const invoice of lot.invoices) invoices.push(await oneInvoice(deps, caller, lot.lot, invoice, now));
  return { lot: lot.lot, receivedAt: now, invoices };
}

async function oneInvoice(deps: RightsDeps, caller: Caller, lot: string, invoice: InvoiceRequest, now: Date): Promise<InvoiceOutcome | InvoiceRefusal> {
  try {
    return await adjudicateInvoice(deps, caller, lot, invoice, now);
  } catch (error) {
    if (!(error instanceof RempartError)) throw error;
    if (isRefusal(error.code)) return { invoiceNumber: invoice.number, refusal: error.code };
    const reason = UNKNOWN[error.code];
    if (reason === undefined) throw error;
    return unknownReference(invoice, reason);
  }
}

function isRefusal(code: ErrorCode): code is InvoiceRefusalCode {
  return (INVOICE_REFUSALS as readonly ErrorCode[]).includes(code);
}

/** Rejected whole, and not stored: there is nobody to store it against. The same answer at every resend. */
function unknownReference(invoice: InvoiceRequest, reason: ReasonCode): InvoiceOutcome {
  return outcomeOf(null, invoice, rejectWhole(invoice.lines, reason));
}
