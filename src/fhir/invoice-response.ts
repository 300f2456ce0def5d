import type { CalendarDate } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { invoiceReasons, type ReasonCode } from '../domain/invoices/reasons.js';
import { errorStatus } from '../http/error-status.js';
import type { InvoiceOutcome, InvoiceRefusal, StoredInvoiceLine } from '../invoices/invoice.js';
import { statuses as invoiceStatuses } from '../invoices/invoice-response.js';
import type { LotOutcome } from '../invoices/lot.js';
import { amcOfNumber } from '../rights/engagement.js';
import { category, claimType, euros } from './claim-response.js';
import { operationOutcome } from './operation-outcome.js';
import { AMC_NUMBER, ENGAGEMENT, HL7_PAYMENT_TYPE, INVOICE_DECISION, INVOICE_NUMBER, INVOICE_REASON, INVOICE_STATUS, LOT_NUMBER, PRIOR_AGREEMENT } from './systems.js';

/**
 * The invoice's decision as R4's outcome (docs/fhir.md): a rejection names the Claim's
 * errors, a reduction is a partial payment, a near duplicate held for review is queued
 * (R4: "the Claim/Pre-authorization/Pre-determination has been received but processing
 * has not begun"): its decision comes later, in the returns.
 */
const outcomes = { paid: 'complete', partly_paid: 'partial', rejected: 'error', held: 'queued' } as const satisfies Record<InvoiceOutcome['status'], string>;
const dispositions = { paid: 'Payée', partly_paid: 'Payée en partie', rejected: 'Rejetée', held: 'En attente d’examen par l’organisme' } as const satisfies Record<InvoiceOutcome['status'], string>;

const reasonOf = (reason: ReasonCode): object => ({ coding: [{ system: INVOICE_REASON, code: reason, display: invoiceReasons[reason].label }] });

/**
 * An invoice's decision as a ClaimResponse use=claim: the same whether it was just taken,
 * taken again on a resend, or read back under its number (id, identifier). Amounts in euros:
 * submitted is the AMC part claimed, benefit what is paid, with the reason of a reduction or
 * a rejection; payment the amount due to the professional (the transfer comes later).
 */
export function invoiceClaimResponse(invoice: InvoiceOutcome, today: CalendarDate): object {
  const amc = invoice.agreement === null ? amcOfNumber('E', invoice.engagement ?? '') : amcOfNumber('P', invoice.agreement);
  return {
    resourceType: 'ClaimResponse',
    ...(invoice.number === null ? {} : { id: invoice.number, identifier: [{ system: INVOICE_DECISION, value: invoice.number }] }),
    extension: [
      { url: INVOICE_STATUS, valueCode: invoiceStatuses[invoice.status] },
      invoice.agreement === null ? { url: ENGAGEMENT, valueString: invoice.engagement ?? '' } : { url: PRIOR_AGREEMENT, valueString: invoice.agreement },
    ],
    status: 'active',
    type: claimType(invoice.lines[0]?.domain),
    use: 'claim',
    patient: { type: 'Patient', display: 'Bénéficiaire de l’engagement' },
    created: today,
    insurer: amc === undefined ? { display: 'Organisme complémentaire' } : { type: 'Organization', identifier: { system: AMC_NUMBER, value: amc } },
    request: { type: 'Claim', identifier: { system: INVOICE_NUMBER, value: invoice.invoiceNumber } },
    outcome: outcomes[invoice.status],
    disposition: invoice.reason === null ? dispositions[invoice.status] : `${dispositions[invoice.status]} : ${invoiceReasons[invoice.reason].label}`,
    item: invoice.lines.map((line, index) => ({ itemSequence: index + 1, adjudication: adjudication(line) })),
    ...(invoice.status === 'rejected' && invoice.reason !== null ? { error: [{ code: reasonOf(invoice.reason) }] } : {}),
    total: [
      { category: category('submitted'), amount: euros(invoice.claimedCents) },
      { category: category('benefit'), amount: euros(invoice.paidCents) },
    ],
    ...(invoice.paidCents === 0 ? {} : { payment: paymentOf(invoice) }),
  };
}

function adjudication(line: StoredInvoiceLine): object[] {
  return [
    { category: category('submitted'), amount: euros(line.claimedCents) },
    { category: category('benefit'), ...(line.reason === null ? {} : { reason: reasonOf(line.reason) }), amount: euros(line.paidCents) },
  ];
}

function paymentOf(invoice: InvoiceOutcome): object {
  return { type: { coding: [{ system: HL7_PAYMENT_TYPE, code: invoice.status === 'paid' ? 'complete' : 'partial' }] }, amount: euros(invoice.paidCents) };
}

/** A lot's answer: one entry per Claim in its order, a ClaimResponse, or the refusal of a key reused with another body (nothing decided). */
export function batchResponse(lot: LotOutcome, today: CalendarDate): object {
  return {
    resourceType: 'Bundle',
    identifier: { system: LOT_NUMBER, value: lot.lot },
    type: 'batch-response',
    entry: lot.invoices.map((invoice) => entryOf(invoice, today)),
  };
}

function entryOf(invoice: InvoiceOutcome | InvoiceRefusal, today: CalendarDate): object {
  if ('refusal' in invoice) {
    return { response: { status: String(errorStatus[invoice.refusal]), outcome: operationOutcome(new RempartError(invoice.refusal, invoice.invoiceNumber)) } };
  }
  const location = invoice.number === null ? {} : { location: `ClaimResponse/${invoice.number}` };
  return { resource: invoiceClaimResponse(invoice, today), response: { status: '200', ...location } };
}
