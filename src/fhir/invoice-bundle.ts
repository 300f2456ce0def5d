import type { CalendarDate } from '../domain/dates.js';
import { lotBodySchema } from '../invoices/lot-request.js';
import { FhirInputError } from './input-error.js';
import { readInvoiceClaim, type InvoiceInput } from './invoice-claim.js';
import { lotOf, type FhirLot } from './invoice-request.js';
import { schemaViolation } from './schema.js';
import { LOT_NUMBER } from './systems.js';
import type { Bundle, BundleEntry, Claim } from './types.js';

/** As many Claims as a REST lot has invoices. */
export const LOT_SIZE = lotBodySchema.properties.factures.maxItems;

const entryPath = (index: number): string => `Bundle.entry[${index}].resource`;

/**
 * A Bundle of type batch, each entry a POST of a Claim use=claim: one lot (docs/fhir.md),
 * numbered by Bundle.identifier (or the Claims' lot extension, the same in all), from one
 * structure. Refused whole, like the REST lot, before anything is read: another type, too
 * many entries, a Claim of another use, two lots, two structures, any Claim malformed.
 */
export function readFhirInvoiceBundle(resource: unknown, today: CalendarDate): FhirLot {
  const violation = schemaViolation('Bundle', withoutResources(resource));
  if (violation) throw violation;
  const bundle = resource as Bundle;
  if (bundle.type !== 'batch') throw new FhirInputError('FIELD_INVALID', 'Bundle.type', 'batch attendu : un lot de factures');
  const entries = bundle.entry ?? [];
  if (entries.length > LOT_SIZE) throw new FhirInputError('FIELD_INVALID', 'Bundle.entry', `${LOT_SIZE} factures au plus par lot`);
  const read = entries.map(invoiceOf);
  const lot = onlyOne([bundle.identifier?.system === LOT_NUMBER ? bundle.identifier.value : undefined, ...read.map((r) => r.lot)], 'Bundle.identifier', 'numéro de lot');
  if (lot === undefined) throw new FhirInputError('FIELD_MISSING', 'Bundle.identifier', `numéro du lot, système ${LOT_NUMBER}`);
  const structure = onlyOne(read.map((r) => r.structure), 'Bundle.entry.resource.provider', 'structure');
  const sources = { lot: 'Bundle.identifier', entries: 'Bundle.entry', invoice: entryPath };
  return { lot: lotOf({ lot, factures: read.map((r) => r.invoice) }, sources, today), structure };
}

/** The Bundle as the schema judges it, its Claims set aside: each is judged as a Claim (a resource of any type would cost the schema's 146-way oneOf). */
function withoutResources(resource: unknown): unknown {
  const entry = (resource as { entry?: unknown } | null)?.entry;
  if (!Array.isArray(entry)) return resource;
  return { ...(resource as object), entry: entry.map(withoutResource) };
}

function withoutResource(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null) return entry;
  const copy: Record<string, unknown> = { ...entry };
  delete copy.resource;
  return copy;
}

function invoiceOf(entry: BundleEntry, index: number): InvoiceInput {
  if (entry.request?.method !== 'POST' || entry.request.url !== 'Claim') throw new FhirInputError('FIELD_INVALID', `Bundle.entry[${index}].request`, 'POST Claim attendu');
  const violation = schemaViolation('Claim', entry.resource, entryPath(index));
  if (violation) throw violation;
  const claim = entry.resource as Claim;
  if (claim.use !== 'claim') throw new FhirInputError('FIELD_INVALID', `${entryPath(index)}.use`, 'un lot ne porte que des factures (claim)');
  try {
    return readInvoiceClaim(claim);
  } catch (error) {
    throw error instanceof FhirInputError ? error.within('Claim', entryPath(index)) : error;
  }
}

/** The one value the lot's entries agree on, if any gives it. */
function onlyOne(values: readonly (string | undefined)[], expression: string, what: string): string | undefined {
  const given = new Set(values.filter((value) => value !== undefined));
  if (given.size > 1) throw new FhirInputError('FIELD_INVALID', expression, `un seul ${what} par lot`);
  return [...given][0];
}
