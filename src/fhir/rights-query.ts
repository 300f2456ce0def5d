import { Ajv, type ErrorObject } from 'ajv';
import { todayUtc } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { readRightsQuery, rightsCheckBodySchema, type RightsCheckBody, type RightsQuery } from '../rights/rights-query.js';
import { readEligibilityRequest } from './eligibility-request.js';
import { FhirInputError, restShapeError } from './input-error.js';
import { schemaViolation } from './schema.js';
import { BIRTH_RANK } from './systems.js';
import type { CoverageEligibilityRequest } from './types.js';

/** Where each field of the REST API's request comes from in a CoverageEligibilityRequest. */
const sources: Readonly<Record<keyof RightsCheckBody, string>> = {
  amc: 'Coverage.payor.identifier',
  adherent: 'Coverage.subscriberId',
  nir: 'Patient.identifier',
  naissance: 'Patient.birthDate',
  rang: `Patient.extension('${BIRTH_RANK}')`,
  dateSoins: 'CoverageEligibilityRequest.servicedDate',
  domaine: 'CoverageEligibilityRequest.item.category',
};

/** The REST body's own schema (lengths, rank 1 to 9): the same limits whichever door the request came through. */
const restShape = new Ajv().compile<RightsCheckBody>(rightsCheckBodySchema);

/**
 * A CoverageEligibilityRequest as the same RightsQuery the REST API builds: the R4 schema
 * first, then our reading of it, then the REST body's schema and readRightsQuery, whose
 * refusals are pointed back at the FHIR element they came from.
 */
export function readFhirRightsQuery(resource: unknown, now: Date): { query: RightsQuery; structure: string | undefined } {
  const violation = schemaViolation('CoverageEligibilityRequest', resource);
  if (violation) throw violation;
  const { body, structure } = readEligibilityRequest(resource as CoverageEligibilityRequest, todayUtc(now));
  if (!restShape(body)) throw shapeError(restShape.errors?.[0]);
  try {
    return { query: readRightsQuery(body, now), structure };
  } catch (error) {
    throw error instanceof RempartError ? located(error) : error;
  }
}

function sourceOf(field: string): string | undefined {
  return Object.hasOwn(sources, field) ? sources[field as keyof RightsCheckBody] : undefined;
}

function shapeError(error: ErrorObject | undefined): FhirInputError {
  return restShapeError(error, sourceOf(error?.instancePath.slice(1) ?? '') ?? 'CoverageEligibilityRequest');
}

/** readRightsQuery names the REST field at fault ("nir : …"): the same refusal, naming the FHIR element. */
function located(error: RempartError): RempartError {
  const match = /^(\w+) : (.*)$/s.exec(error.detail ?? '');
  const where = match && sourceOf(match[1] ?? '');
  if (match && where) return new FhirInputError(error.code, where, match[2]);
  if (error.code === 'CARE_DOMAIN_UNKNOWN') return new FhirInputError(error.code, sources.domaine, error.detail);
  return error;
}
