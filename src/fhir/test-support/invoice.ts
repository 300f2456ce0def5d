import { AMC_CLAIMED, DEDUCTIBLE, FLAT_FEE, INVOICE_NUMBER, LOT_NUMBER, OPTAM } from '../systems.js';
import { preauthClaim, type QuoteLine } from '../practice-claims.js';

export const BATCH_PATH = '/fhir/r4';

/** An invoice line in the REST API's words (POST /api/v1/invoices/lots), amounts in cents. */
export type InvoiceLine = QuoteLine & { montantAmc: number; participationForfaitaire?: number; franchise?: number; optam?: boolean };

const euros = (cents: number): object => ({ value: cents / 100, currency: 'EUR' });

/** The same invoice as a Claim use=claim, as practice software sends it (docs/fhir.md): the quote's Claim, with the invoice number and the AMC part claimed. */
export function invoiceClaim(number: string, reference: string, careDate: string, lines: readonly InvoiceLine[], structure?: string): Record<string, unknown> {
  const claim = preauthClaim(reference, careDate, lines, structure);
  for (const [index, item] of (claim.item as { extension: object[] }[]).entries()) {
    const line = lines[index] as InvoiceLine;
    item.extension.push(
      { url: AMC_CLAIMED, valueMoney: euros(line.montantAmc) },
      ...(line.participationForfaitaire === undefined ? [] : [{ url: FLAT_FEE, valueMoney: euros(line.participationForfaitaire) }]),
      ...(line.franchise === undefined ? [] : [{ url: DEDUCTIBLE, valueMoney: euros(line.franchise) }]),
      ...(line.optam === undefined ? [] : [{ url: OPTAM, valueBoolean: line.optam }]),
    );
  }
  return { ...claim, use: 'claim', identifier: [{ system: INVOICE_NUMBER, value: number }] };
}

/** A lot as a batch Bundle of Claims. */
export function invoiceBundle(lot: string, claims: readonly object[]): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'batch',
    identifier: { system: LOT_NUMBER, value: lot },
    entry: claims.map((resource) => ({ resource, request: { method: 'POST', url: 'Claim' } })),
  };
}
