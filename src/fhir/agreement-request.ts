import { Ajv, type ErrorObject } from 'ajv';
import { agreementRequestSchema, quoteLines, type AgreementBody } from '../claims/routes/prior-agreement-request.js';
import type { AgreementRequest } from '../claims/prior-agreements.js';
import { RempartError } from '../domain/errors/codes.js';
import { itemSources } from './claim-items.js';
import { FhirInputError, restShapeError } from './input-error.js';
import { readPreauthClaim } from './preauth-claim.js';
import { schemaViolation } from './schema.js';
import type { Claim } from './types.js';

/** Where each field of the REST API's request comes from in a Claim. */
const sources: Readonly<Record<string, string>> = { engagement: 'Claim.insurance.preAuthRef', dateSoins: 'Claim.item.servicedDate', lignes: 'Claim.item' };
const lineSources: Readonly<Record<string, string>> = { ...itemSources, datePrescription: 'informationSequence' };

/** The REST body's own schema (amounts, quantities, device words): the same limits whichever door the request came through. Dates were checked in full by the reader. */
const restShape = new Ajv({ strict: false, validateFormats: false, logger: false }).compile<AgreementBody>(agreementRequestSchema.body);

/**
 * A preauthorization Claim as the same AgreementRequest the REST API builds: the R4 schema
 * first, then our reading of it, then the REST body's schema and its quote lines, whose
 * refusals are pointed back at the FHIR element they came from.
 */
export function readFhirAgreementRequest(resource: unknown): { asked: AgreementRequest; structure: string | undefined } {
  const violation = schemaViolation('Claim', resource);
  if (violation) throw violation;
  const { body, structure } = readPreauthClaim(resource as Claim);
  if (!restShape(body)) throw shapeError(restShape.errors?.[0]);
  try {
    return { asked: { engagement: body.engagement, careDate: body.dateSoins, lines: quoteLines(body) }, structure };
  } catch (error) {
    throw error instanceof RempartError ? located(error) : error;
  }
}

/** "lignes/0/prix" → "Claim.item[0].unitPrice". */
function sourceOf(path: string): string | undefined {
  const line = /^lignes\/(\d+)\/(\w+)$/.exec(path);
  if (line) return Object.hasOwn(lineSources, line[2] ?? '') ? `Claim.item[${line[1]}].${lineSources[line[2] ?? '']}` : `Claim.item[${line[1]}]`;
  return Object.hasOwn(sources, path) ? sources[path] : undefined;
}

function shapeError(error: ErrorObject | undefined): FhirInputError {
  return restShapeError(error, sourceOf(error?.instancePath.slice(1) ?? '') ?? 'Claim');
}

/** quoteLines names the REST field at fault ("lignes/0/domaine : …"): the same refusal, naming the FHIR element. */
function located(error: RempartError): RempartError {
  const match = /^([\w/]+) : (.*)$/s.exec(error.detail ?? '');
  const where = match && sourceOf(match[1] ?? '');
  return match && where ? new FhirInputError(error.code, where, match[2]) : error;
}
