import type { AgreementBody, QuoteLineBody } from '../claims/routes/prior-agreement-request.js';
import type { CalendarDate } from '../domain/dates.js';
import { careDateOf, codeOf, fullDate, lineBodyOf } from './claim-items.js';
import { FhirInputError } from './input-error.js';
import { structureOf } from './eligibility-request.js';
import { SUPPORTING_INFO } from './systems.js';
import type { Claim, ClaimItem } from './types.js';

/** What a preauthorization Claim asks, in the REST API's words (POST /api/v1/prior-agreements), and the structure it names. */
export interface AgreementInput {
  body: AgreementBody;
  structure: string | undefined;
}

export const PRESCRIPTION_DATE = 'date-prescription';

/**
 * Reads a schema-valid Claim (docs/fhir.md): use preauthorization, the engagement in the
 * focal insurance's preAuthRef, one REST line per item, the care day, the structure.
 * Values are taken as they are: the REST body's schema and the service judge them.
 */
export function readPreauthClaim(claim: Claim): AgreementInput {
  if (claim.use !== 'preauthorization') throw new FhirInputError('FIELD_INVALID', 'Claim.use', 'preauthorization (accord préalable) ou claim (facture) attendu');
  const insurance = claim.insurance.find((i) => i.focal) ?? claim.insurance[0];
  const engagement = insurance?.preAuthRef?.[0];
  if (engagement === undefined) throw new FhirInputError('FIELD_MISSING', 'Claim.insurance.preAuthRef', 'numéro d’engagement donné par l’identification des droits');
  const items = claim.item ?? [];
  if (items.length === 0) throw new FhirInputError('FIELD_MISSING', 'Claim.item');
  const prescriptions = prescriptionDates(claim);
  return {
    body: { engagement, dateSoins: careDateOf(claim, items), lignes: items.map((item, index) => lineOf(item, index, prescriptions)) },
    structure: structureOf('Claim', [['facility', claim.facility], ['provider', claim.provider]]),
  };
}

/** supportingInfo entries coded date-prescription, by sequence: an item points at its own with informationSequence. */
function prescriptionDates(claim: Claim): Map<number, CalendarDate> {
  const dates = new Map<number, CalendarDate>();
  for (const [index, info] of (claim.supportingInfo ?? []).entries()) {
    if (!codeOf(info.code, SUPPORTING_INFO)) continue;
    if (codeOf(info.code, SUPPORTING_INFO) !== PRESCRIPTION_DATE || info.timingDate === undefined) {
      throw new FhirInputError('FIELD_INVALID', `Claim.supportingInfo[${index}]`, `code ${PRESCRIPTION_DATE} et timingDate attendus`);
    }
    dates.set(info.sequence, fullDate(info.timingDate, `Claim.supportingInfo[${index}].timingDate`));
  }
  return dates;
}

function lineOf(item: ClaimItem, index: number, prescriptions: ReadonlyMap<number, CalendarDate>): QuoteLineBody {
  const prescription = prescriptionOf(item, `Claim.item[${index}]`, prescriptions);
  return { ...lineBodyOf(item, index), ...(prescription === undefined ? {} : { datePrescription: prescription }) };
}

function prescriptionOf(item: ClaimItem, at: string, prescriptions: ReadonlyMap<number, CalendarDate>): CalendarDate | undefined {
  const dates = (item.informationSequence ?? []).flatMap((sequence) => {
    const date = prescriptions.get(sequence);
    return date === undefined ? [] : [date];
  });
  if (dates.length > 1) throw new FhirInputError('FIELD_INVALID', `${at}.informationSequence`, 'une seule date d’ordonnance par item');
  return dates[0];
}
