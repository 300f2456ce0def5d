import { Ajv } from 'ajv';
import type { CalendarDate } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { lotBodySchema, readLot, type LotBody, type LotRequest } from '../invoices/lot-request.js';
import { itemSources } from './claim-items.js';
import { FhirInputError, restShapeError } from './input-error.js';
import { readInvoiceClaim } from './invoice-claim.js';
import { schemaViolation } from './schema.js';
import { AMC_CLAIMED, AMO_AMOUNT, LOT } from './systems.js';
import type { Claim } from './types.js';

/** A lot read from FHIR, and the structure its Claims name. */
export interface FhirLot {
  lot: LotRequest;
  structure: string | undefined;
}

/** Where a lot's fields came from: the lot's number, the list of invoices, each invoice. */
export interface LotSources {
  lot: string;
  entries: string;
  invoice: (index: number) => string;
}

/** The REST lot's own schema (sizes, amounts, number patterns, at most as many invoices): the same limits whichever door the lot came through. Dates were checked in full by the reader. */
const lotShape = new Ajv({ strict: false, validateFormats: false, logger: false }).compile<LotBody>(lotBodySchema);
const invoiceSources: Readonly<Record<string, string>> = { numero: 'identifier', engagement: 'insurance.preAuthRef', accordPrealable: 'insurance.preAuthRef', dateSoins: 'item.servicedDate', lignes: 'item' };
const lineSources: Readonly<Record<string, string>> = { ...itemSources, montantAmc: `extension('${AMC_CLAIMED}')`, montantAmo: `extension('${AMO_AMOUNT}')` };

/**
 * A Claim use=claim sent alone: a lot of one invoice, under the lot its extension names,
 * else its own invoice number (so that resending it finds the same key). The R4 schema
 * first, then our reading, then the REST lot's schema and readLot (the ARL's refusals).
 */
export function readFhirInvoice(resource: unknown, today: CalendarDate): FhirLot {
  const violation = schemaViolation('Claim', resource);
  if (violation) throw violation;
  const { invoice, lot, structure } = readInvoiceClaim(resource as Claim);
  const sources = { lot: lot === undefined ? 'Claim.identifier' : `Claim.extension('${LOT}')`, entries: 'Claim', invoice: () => 'Claim' };
  return { lot: lotOf({ lot: lot ?? invoice.numero, factures: [invoice] }, sources, today), structure };
}

/** The lot as readLot takes it, its refusals naming the FHIR elements they came from. */
export function lotOf(body: LotBody, sources: LotSources, today: CalendarDate): LotRequest {
  if (!lotShape(body)) {
    const error = lotShape.errors?.[0];
    throw restShapeError(error, sourceOf(error?.instancePath.slice(1) ?? '', sources));
  }
  try {
    return readLot(body, today);
  } catch (error) {
    throw error instanceof RempartError ? located(error, sources) : error;
  }
}

/** "factures/0/lignes/1/prix" → "Claim.item[1].unitPrice", or inside the Bundle's entry. */
function sourceOf(path: string, sources: LotSources): string {
  const [top, index, field, line, lineField] = path.split('/');
  if (top === 'lot') return sources.lot;
  if (top !== 'factures' || index === undefined) return sources.entries;
  const invoice = sources.invoice(Number(index));
  if (field === undefined) return invoice;
  if (field !== 'lignes' || line === undefined) return `${invoice}.${named(invoiceSources, field) ?? field}`;
  const item = `${invoice}.item[${line}]`;
  const element = named(lineSources, lineField ?? '');
  return element === undefined ? item : `${item}.${element}`;
}

function named(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** readLot names the REST field at fault ("factures/0/dateSoins : …"): the same refusal, naming the FHIR element. */
function located(error: RempartError, sources: LotSources): RempartError {
  const match = /^(factures\/[\w/]+)(?: : (.*))?$/s.exec(error.detail ?? '');
  return match ? new FhirInputError(error.code, sourceOf(match[1] ?? '', sources), match[2]) : error;
}
