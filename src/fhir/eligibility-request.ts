import type { RightsCheckBody } from '../rights/rights-query.js';
import { FhirInputError } from './input-error.js';
import { AMC_NUMBER, BIRTH_RANK, CARE_DOMAIN, IDNST, INS_NIA, INS_NIR, LUNAR_BIRTH_DATE } from './systems.js';
import type { Coverage, CoverageEligibilityRequest, Extension, Patient, Reference } from './types.js';

/** What a CoverageEligibilityRequest asks, in the REST API's words, and the structure it names. */
export interface EligibilityInput {
  body: RightsCheckBody;
  structure: string | undefined;
}

const SUPPORTED_PURPOSES = new Set(['validation', 'benefits']);

/**
 * Reads the card and the Vitale card out of a schema-valid request (docs/fhir.md): the
 * contained Patient and Coverage, the care day, at most one care domain, the structure.
 * Values are taken as they are: readRightsQuery judges them, as for the REST API.
 */
export function readEligibilityRequest(request: CoverageEligibilityRequest, today: string): EligibilityInput {
  checkRequestShape(request);
  const patient = containedOf<Patient>(request, request.patient, 'Patient', 'CoverageEligibilityRequest.patient');
  const coverage = containedOf<Coverage>(request, request.insurance?.[0]?.coverage, 'Coverage', 'CoverageEligibilityRequest.insurance[0].coverage');
  const domain = domainOf(request);
  return {
    body: {
      amc: amcOf(coverage),
      adherent: present(coverage.subscriberId, 'Coverage.subscriberId'),
      nir: present(patient.identifier?.find((i) => i.system === INS_NIR || i.system === INS_NIA)?.value, 'Patient.identifier', `système ${INS_NIR} (INS-NIR) ou ${INS_NIA} (INS-NIA)`),
      naissance: birthDateOf(patient),
      rang: extension(patient.extension, BIRTH_RANK)?.valuePositiveInt ?? 1,
      dateSoins: request.servicedDate ?? today,
      ...(domain === undefined ? {} : { domaine: domain }),
    },
    structure: structureOf('CoverageEligibilityRequest', [['facility', request.facility], ['provider', request.provider]]),
  };
}

function checkRequestShape(request: CoverageEligibilityRequest): void {
  const purposes = request.purpose ?? [];
  if (purposes.length === 0) throw new FhirInputError('FIELD_MISSING', 'CoverageEligibilityRequest.purpose');
  if (!purposes.every((p) => SUPPORTED_PURPOSES.has(p))) throw new FhirInputError('FIELD_INVALID', 'CoverageEligibilityRequest.purpose', 'seuls validation et benefits sont pris en charge');
  if (request.servicedPeriod !== undefined) throw new FhirInputError('FIELD_INVALID', 'CoverageEligibilityRequest.servicedPeriod', 'une date de soins (servicedDate) est attendue, pas une période');
}

function present(value: string | undefined, expression: string, reason?: string): string {
  if (value === undefined || value === '') throw new FhirInputError('FIELD_MISSING', expression, reason);
  return value;
}

function extension(extensions: Extension[] | undefined, url: string): Extension | undefined {
  return extensions?.find((e) => e.url === url);
}

/** Only contained resources are read, through a local reference (`#id`): nothing is fetched. */
function containedOf<T>(request: CoverageEligibilityRequest, reference: Reference | undefined, type: string, expression: string): T {
  if (reference === undefined) throw new FhirInputError('FIELD_MISSING', expression);
  const id = reference.reference?.startsWith('#') ? reference.reference.slice(1) : undefined;
  const found = request.contained?.find((r) => r.resourceType === type && r.id === id);
  if (id === undefined || !found) throw new FhirInputError('FIELD_INVALID', expression, `référence locale (#id) à une ressource ${type} contenue attendue`);
  return found as T;
}

function amcOf(coverage: Coverage): string {
  const found = coverage.payor.map((p) => p.identifier).find((i) => i?.system === AMC_NUMBER);
  return present(found?.value, 'Coverage.payor.identifier', `système ${AMC_NUMBER}`);
}

/** A lunar date (1962-00-00) is no FHIR date: it comes in our extension on _birthDate, which birthDate (if any) must not contradict. */
function birthDateOf(patient: Patient): string {
  const lunar = extension(patient._birthDate?.extension, LUNAR_BIRTH_DATE)?.valueString;
  const date = patient.birthDate;
  if (lunar !== undefined && date !== undefined && !lunar.startsWith(date)) {
    throw new FhirInputError('FIELD_INVALID', 'Patient.birthDate', `contredit l’extension ${LUNAR_BIRTH_DATE}`);
  }
  return present(lunar ?? date, 'Patient.birthDate');
}

/** At most one care domain, coded in our code system on every item's category. */
function domainOf(request: CoverageEligibilityRequest): string | undefined {
  const codes = new Set<string>();
  for (const [index, item] of (request.item ?? []).entries()) {
    const code = item.category?.coding?.find((c) => c.system === CARE_DOMAIN)?.code;
    if (code === undefined) throw new FhirInputError('FIELD_INVALID', `CoverageEligibilityRequest.item[${index}].category`, `code du système ${CARE_DOMAIN} attendu`);
    codes.add(code);
  }
  if (codes.size > 1) throw new FhirInputError('FIELD_INVALID', 'CoverageEligibilityRequest.item', 'un seul domaine de soins par demande');
  return [...codes][0];
}

const IDNST_VALUE = /^(?:1([0-9][0-9AB][0-9]{7})|3([0-9]{14})|([0-9][0-9AB][0-9]{7}|[0-9]{14}))$/;

/**
 * The structure a person acts for (software acts for its own): an IDNST on the facility,
 * else the provider, "1" + FINESS or "3" + SIRET; unprefixed values are taken too, as
 * the ANS asks of readers. The first of the resource's elements given that carries one.
 */
export function structureOf(resource: string, elements: readonly (readonly [string, Reference | undefined])[]): string | undefined {
  for (const [element, reference] of elements) {
    const identifier = reference?.identifier;
    if (identifier?.system !== IDNST) continue;
    const match = IDNST_VALUE.exec(identifier.value ?? '');
    if (!match) throw new FhirInputError('FIELD_INVALID', `${resource}.${element}.identifier`, 'IDNST attendu : 1 + FINESS ou 3 + SIRET');
    return match[1] ?? match[2] ?? match[3];
  }
  return undefined;
}
