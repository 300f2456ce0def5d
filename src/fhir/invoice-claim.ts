import type { InvoiceBody, InvoiceLineBody } from '../invoices/lot-request.js';
import { careDateOf, centsOf, extension, lineBodyOf, optionalCents } from './claim-items.js';
import { structureOf } from './eligibility-request.js';
import { FhirInputError } from './input-error.js';
import { AMC_CLAIMED, AMO_AMOUNT, INVOICE_NUMBER, LOT } from './systems.js';
import type { Claim, ClaimItem } from './types.js';

/** What an invoice Claim says, in the REST API's words (an invoice of POST /api/v1/invoices/lots), with the lot and the structure it names. */
export interface InvoiceInput {
  invoice: InvoiceBody;
  lot: string | undefined;
  structure: string | undefined;
}

/**
 * Reads a schema-valid Claim use=claim (docs/fhir.md): the sender's number in identifier,
 * the engagement (E…) or prior agreement (P…) in the focal insurance's preAuthRef, the
 * care day and one REST line per item, with the AMC part claimed. Values are taken as they
 * are: the lot's schema and readLot judge them.
 */
export function readInvoiceClaim(claim: Claim): InvoiceInput {
  if (claim.use !== 'claim') throw new FhirInputError('FIELD_INVALID', 'Claim.use', 'claim (facture) attendu');
  const numero = claim.identifier?.find((identifier) => identifier.system === INVOICE_NUMBER)?.value;
  if (numero === undefined) throw new FhirInputError('FIELD_MISSING', 'Claim.identifier', `votre numéro de facture, système ${INVOICE_NUMBER}`);
  const items = claim.item ?? [];
  if (items.length === 0) throw new FhirInputError('FIELD_MISSING', 'Claim.item');
  return {
    invoice: { numero, ...referenceOf(claim), dateSoins: careDateOf(claim, items), lignes: items.map(lineOf) },
    lot: extension(claim, LOT)?.valueString,
    structure: structureOf('Claim', [['facility', claim.facility], ['provider', claim.provider]]),
  };
}

/** One number, as the REST invoice's engagement or accordPrealable by its letter (their patterns are checked by the lot's schema). */
function referenceOf(claim: Claim): Pick<InvoiceBody, 'engagement' | 'accordPrealable'> {
  const insurance = claim.insurance.find((i) => i.focal) ?? claim.insurance[0];
  const references = insurance?.preAuthRef ?? [];
  const [reference] = references;
  if (reference === undefined) throw new FhirInputError('FIELD_MISSING', 'Claim.insurance.preAuthRef', 'numéro d’engagement (E…) ou d’accord préalable (P…)');
  if (references.length > 1) throw new FhirInputError('INVOICE_REFERENCE', 'Claim.insurance.preAuthRef', 'un seul numéro par facture');
  return reference.startsWith('P') ? { accordPrealable: reference } : { engagement: reference };
}

function lineOf(item: ClaimItem, index: number): InvoiceLineBody {
  const at = `Claim.item[${index}]`;
  return {
    ...lineBodyOf(item, index),
    montantAmc: centsOf(extension(item, AMC_CLAIMED)?.valueMoney, `${at}.extension('${AMC_CLAIMED}')`),
    ...optionalCents(item, at, { montantAmo: AMO_AMOUNT }),
  };
}
