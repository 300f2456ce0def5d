import { parseBirthDate } from '../domain/identifiers/index.js';
import { AMC_NUMBER, BIRTH_RANK, CARE_DOMAIN, IDNST, INS_NIR, LUNAR_BIRTH_DATE } from './systems.js';

/** What the insurer's card and the Vitale card say. */
export interface Cards {
  amc: string;
  adherent: string;
  nir: string;
  naissance: string;
  rang: number;
}

export interface RequestOptions {
  careDate: string;
  /** FINESS or SIRET, sent as an IDNST on the facility (a person names the structure). */
  structure?: string | undefined;
  domain?: string;
}

/** The birth date as practice software sends it: birthDate, or our extension for a lunar one. */
function birth(naissance: string): object {
  const parsed = parseBirthDate(naissance, new Date());
  if (parsed.ok && !parsed.value.lunar) return { birthDate: naissance };
  return { _birthDate: { extension: [{ url: LUNAR_BIRTH_DATE, valueString: naissance }] } };
}

/** A CoverageEligibilityRequest for what a card and a Vitale card say, as practice software sends it (docs/fhir.md). */
export function eligibilityRequest(card: Cards, options: RequestOptions): Record<string, unknown> {
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

