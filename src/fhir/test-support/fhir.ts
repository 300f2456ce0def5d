import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parseBirthDate } from '../../domain/identifiers/index.js';
import type { CardHolder } from '../../rights/test-support/population.js';
import { schemaViolation } from '../schema.js';
import { AMC_NUMBER, BIRTH_RANK, CARE_DOMAIN, IDNST, INS_NIR, LUNAR_BIRTH_DATE } from '../systems.js';

export const ELIGIBILITY_PATH = '/fhir/r4/CoverageEligibilityRequest';

export interface RequestOptions {
  careDate: string;
  /** FINESS or SIRET, sent as an IDNST on the facility (a person names the structure). */
  structure?: string | undefined;
  domain?: string;
}

/** The birth date as practice software sends it: birthDate, or our extension for a lunar one. */
function birth(naissance: string): object {
  const parsed = parseBirthDate(naissance);
  if (parsed.ok && !parsed.value.lunar) return { birthDate: naissance };
  return { _birthDate: { extension: [{ url: LUNAR_BIRTH_DATE, valueString: naissance }] } };
}

/** A CoverageEligibilityRequest for what a card and a Vitale card say, as practice software would send it. */
export function eligibilityRequest(card: CardHolder, options: RequestOptions): Record<string, unknown> {
  const patient = {
    resourceType: 'Patient',
    id: 'patient',
    identifier: [{ system: INS_NIR, value: card.nir }],
    ...birth(card.naissance),
    ...(card.rang === 1 ? {} : { extension: [{ url: BIRTH_RANK, valuePositiveInt: card.rang }] }),
  };
  const coverage = { resourceType: 'Coverage', id: 'coverage', status: 'active', beneficiary: { reference: '#patient' }, subscriberId: card.adherent, payor: [{ identifier: { system: AMC_NUMBER, value: card.amc } }] };
  return {
    resourceType: 'CoverageEligibilityRequest',
    contained: [patient, coverage],
    status: 'active',
    purpose: ['validation', 'benefits'],
    patient: { reference: '#patient' },
    servicedDate: options.careDate,
    created: options.careDate,
    insurer: { identifier: { system: AMC_NUMBER, value: card.amc } },
    insurance: [{ coverage: { reference: '#coverage' } }],
    ...(options.structure === undefined ? {} : { facility: { identifier: { system: IDNST, value: `${options.structure.length === 9 ? '1' : '3'}${options.structure}` } } }),
    ...(options.domain === undefined ? {} : { item: [{ category: { coding: [{ system: CARE_DOMAIN, code: options.domain }] } }] }),
  };
}

/** POSTs a resource (or any text) as application/fhir+json. */
export function postFhir(app: FastifyInstance, headers: Record<string, string>, body: unknown, url = ELIGIBILITY_PATH): Promise<LightMyRequestResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return app.inject({ method: 'POST', url, headers: { 'content-type': 'application/fhir+json', ...headers }, payload });
}

/** The resource's first departure from the R4 schema, as a message; undefined when it conforms. */
export function r4Violation(resource: unknown): string | undefined {
  const type = (resource as { resourceType?: unknown }).resourceType;
  return typeof type === 'string' ? schemaViolation(type, resource)?.message : 'resourceType absent';
}

/** Status, stable code and FHIRPath of an OperationOutcome answer, e.g. "400 IDENTIFIER_KEY Patient.identifier". */
export function refusalOf(response: LightMyRequestResponse): string {
  const issue = response.json<{ issue: { details: { coding: { code: string }[] }; expression?: string[] }[] }>().issue[0];
  return [response.statusCode, issue?.details.coding[0]?.code, ...(issue?.expression ?? [])].join(' ');
}
