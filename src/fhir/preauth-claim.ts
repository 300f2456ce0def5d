import type { AgreementBody, QuoteLineBody } from '../claims/routes/prior-agreement-request.js';
import { parseCalendarDate, type CalendarDate } from '../domain/dates.js';
import { FhirInputError } from './input-error.js';
import { structureOf } from './eligibility-request.js';
import { ACT_CODE, AMO_BASE, AMO_RATE, BODY_SIDE, CARE_DOMAIN, DEVICE, PRICE_LIMIT, PROGRAM, SUPPORTING_INFO } from './systems.js';
import type { Claim, ClaimItem, CodeableConcept, Extension, Money } from './types.js';

/** What a preauthorization Claim asks, in the REST API's words (POST /api/v1/prior-agreements), and the structure it names. */
export interface AgreementInput {
  body: AgreementBody;
  structure: string | undefined;
}

export const HUNDRED_PERCENT_SANTE = '100-pourcent-sante';
export const PRESCRIPTION_DATE = 'date-prescription';

/**
 * Reads a schema-valid Claim (docs/fhir.md): use preauthorization, the engagement in the
 * focal insurance's preAuthRef, one REST line per item, the care day, the structure.
 * Values are taken as they are: the REST body's schema and the service judge them.
 */
export function readPreauthClaim(claim: Claim): AgreementInput {
  if (claim.use !== 'preauthorization') throw new FhirInputError('FIELD_INVALID', 'Claim.use', 'seul preauthorization (accord préalable) est pris en charge ici');
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

/** One care day: every item's servicedDate (all the same), else billablePeriod.start. */
function careDateOf(claim: Claim, items: readonly ClaimItem[]): CalendarDate {
  for (const [index, item] of items.entries()) {
    if (item.servicedPeriod !== undefined) throw new FhirInputError('FIELD_INVALID', `Claim.item[${index}].servicedPeriod`, 'une date de soins (servicedDate) est attendue, pas une période');
  }
  const days = new Set(items.flatMap((item) => (item.servicedDate === undefined ? [] : [item.servicedDate])));
  if (days.size > 1) throw new FhirInputError('FIELD_INVALID', 'Claim.item.servicedDate', 'une seule date de soins par demande');
  const [day] = days;
  if (day !== undefined) return fullDate(day, 'Claim.item.servicedDate');
  const start = claim.billablePeriod?.start;
  if (start === undefined) throw new FhirInputError('FIELD_MISSING', 'Claim.item.servicedDate', 'date prévue des soins (ou Claim.billablePeriod.start)');
  return fullDate(start, 'Claim.billablePeriod.start');
}

function fullDate(value: string, expression: string): CalendarDate {
  const parsed = parseCalendarDate(value);
  if (!parsed.ok) throw new FhirInputError('FIELD_INVALID', expression, 'date complète AAAA-MM-JJ attendue');
  return parsed.value;
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
  const at = `Claim.item[${index}]`;
  if (item.sequence !== index + 1) throw new FhirInputError('FIELD_INVALID', `${at}.sequence`, 'items numérotés 1, 2, 3… dans leur ordre');
  const acte = codeOf(item.productOrService, ACT_CODE);
  if (acte === undefined) throw new FhirInputError('FIELD_INVALID', `${at}.productOrService`, `code du système ${ACT_CODE} attendu`);
  const domaine = codeOf(item.category, CARE_DOMAIN);
  if (domaine === undefined) throw new FhirInputError('FIELD_MISSING', `${at}.category`, `code du système ${CARE_DOMAIN} attendu`);
  const rate = extension(item.extension, AMO_RATE)?.valueUnsignedInt;
  if (rate === undefined) throw new FhirInputError('FIELD_MISSING', `${at}.extension('${AMO_RATE}')`, 'taux AMO en pourcentage (valueUnsignedInt)');
  const program = programOf(item, at);
  const limit = extension(item.extension, PRICE_LIMIT)?.valueMoney;
  const device = extension(item.extension, DEVICE)?.valueCode;
  const side = codeOf(item.bodySite, BODY_SIDE);
  const prescription = prescriptionOf(item, at, prescriptions);
  return {
    acte,
    domaine,
    quantite: item.quantity?.value ?? 1,
    prix: centsOf(item.unitPrice, `${at}.unitPrice`),
    base: centsOf(extension(item.extension, AMO_BASE)?.valueMoney, `${at}.extension('${AMO_BASE}')`),
    tauxAmo: rate,
    ...(program ? { centPourCentSante: true } : {}),
    ...(limit === undefined ? {} : { prixLimite: centsOf(limit, `${at}.extension('${PRICE_LIMIT}')`) }),
    ...(device === undefined ? {} : { dispositif: device as NonNullable<QuoteLineBody['dispositif']> }),
    ...(side === undefined ? {} : { cote: side as 'D' | 'G' }),
    ...(prescription === undefined ? {} : { datePrescription: prescription }),
  };
}

function programOf(item: ClaimItem, at: string): boolean {
  const codes = (item.programCode ?? []).flatMap((concept) => concept.coding ?? []).filter((c) => c.system === PROGRAM);
  if (codes.some((c) => c.code !== HUNDRED_PERCENT_SANTE)) throw new FhirInputError('FIELD_INVALID', `${at}.programCode`, `seul ${HUNDRED_PERCENT_SANTE} est connu`);
  return codes.length > 0;
}

function prescriptionOf(item: ClaimItem, at: string, prescriptions: ReadonlyMap<number, CalendarDate>): CalendarDate | undefined {
  const dates = (item.informationSequence ?? []).flatMap((sequence) => {
    const date = prescriptions.get(sequence);
    return date === undefined ? [] : [date];
  });
  if (dates.length > 1) throw new FhirInputError('FIELD_INVALID', `${at}.informationSequence`, 'une seule date d’ordonnance par item');
  return dates[0];
}

/** Euros as FHIR Money (decimal), in cents; EUR only, to the cent. */
function centsOf(money: Money | undefined, expression: string): number {
  if (money?.value === undefined) throw new FhirInputError('FIELD_MISSING', expression, 'montant (Money) attendu');
  if (money.currency !== 'EUR') throw new FhirInputError('FIELD_INVALID', expression, 'devise EUR attendue');
  const cents = Math.round(money.value * 100);
  if (Math.abs(money.value * 100 - cents) > 1e-6) throw new FhirInputError('FIELD_INVALID', expression, 'montant au centime près');
  return cents;
}

function codeOf(concept: CodeableConcept | undefined, system: string): string | undefined {
  return concept?.coding?.find((c) => c.system === system)?.code;
}

function extension(extensions: Extension[] | undefined, url: string): Extension | undefined {
  return extensions?.find((e) => e.url === url);
}
