import type { LineBody } from '../claims/coverage-request.js';
import { parseCalendarDate, type CalendarDate } from '../domain/dates.js';
import { FhirInputError } from './input-error.js';
import { ACT_CODE, AMO_BASE, AMO_RATE, BODY_SIDE, CARE_DOMAIN, DEDUCTIBLE, DEVICE, FLAT_FEE, OPTAM, PRICE_LIMIT, PROGRAM } from './systems.js';
import type { Claim, ClaimItem, CodeableConcept, Extension, Money } from './types.js';

const HUNDRED_PERCENT_SANTE = '100-pourcent-sante';

/** Where each field of a REST line comes from in a Claim item: how a REST refusal names the FHIR element at fault. */
export const itemSources: Readonly<Record<string, string>> = {
  acte: 'productOrService', domaine: 'category', quantite: 'quantity', prix: 'unitPrice', base: `extension('${AMO_BASE}')`, tauxAmo: `extension('${AMO_RATE}')`,
  participationForfaitaire: `extension('${FLAT_FEE}')`, franchise: `extension('${DEDUCTIBLE}')`, optam: `extension('${OPTAM}')`,
  centPourCentSante: 'programCode', prixLimite: `extension('${PRICE_LIMIT}')`, dispositif: `extension('${DEVICE}')`, cote: 'bodySite',
};

/** One care day: every item's servicedDate (all the same), else billablePeriod.start. */
export function careDateOf(claim: Claim, items: readonly ClaimItem[]): CalendarDate {
  for (const [index, item] of items.entries()) {
    if (item.servicedPeriod !== undefined) throw new FhirInputError('FIELD_INVALID', `Claim.item[${index}].servicedPeriod`, 'une date de soins (servicedDate) est attendue, pas une période');
  }
  const days = new Set(items.flatMap((item) => (item.servicedDate === undefined ? [] : [item.servicedDate])));
  if (days.size > 1) throw new FhirInputError('FIELD_INVALID', 'Claim.item.servicedDate', 'une seule date de soins par demande');
  const [day] = days;
  if (day !== undefined) return fullDate(day, 'Claim.item.servicedDate');
  const start = claim.billablePeriod?.start;
  if (start === undefined) throw new FhirInputError('FIELD_MISSING', 'Claim.item.servicedDate', 'date des soins (ou Claim.billablePeriod.start)');
  return fullDate(start, 'Claim.billablePeriod.start');
}

export function fullDate(value: string, expression: string): CalendarDate {
  const parsed = parseCalendarDate(value);
  if (!parsed.ok) throw new FhirInputError('FIELD_INVALID', expression, 'date complète AAAA-MM-JJ attendue');
  return parsed.value;
}

/**
 * An item as the REST API's line (docs/fhir.md), items numbered 1, 2, 3… in their order.
 * Values are taken as they are: the REST body's schema and the service judge them; only a
 * net that contradicts quantity × unit price is refused here, the one check no REST field carries.
 */
export function lineBodyOf(item: ClaimItem, index: number): LineBody {
  const at = `Claim.item[${index}]`;
  if (item.sequence !== index + 1) throw new FhirInputError('FIELD_INVALID', `${at}.sequence`, 'items numérotés 1, 2, 3… dans leur ordre');
  const acte = codeOf(item.productOrService, ACT_CODE);
  if (acte === undefined) throw new FhirInputError('FIELD_INVALID', `${at}.productOrService`, `code du système ${ACT_CODE} attendu`);
  const domaine = codeOf(item.category, CARE_DOMAIN);
  if (domaine === undefined) throw new FhirInputError('FIELD_MISSING', `${at}.category`, `code du système ${CARE_DOMAIN} attendu`);
  const rate = extension(item, AMO_RATE)?.valueUnsignedInt;
  if (rate === undefined) throw new FhirInputError('FIELD_MISSING', `${at}.extension('${AMO_RATE}')`, 'taux AMO en pourcentage (valueUnsignedInt)');
  const quantite = item.quantity?.value ?? 1;
  const prix = centsOf(item.unitPrice, `${at}.unitPrice`);
  if (item.net !== undefined && centsOf(item.net, `${at}.net`) !== quantite * prix) throw new FhirInputError('FIELD_INVALID', `${at}.net`, 'quantité × prix unitaire attendu');
  const optam = extension(item, OPTAM);
  const device = extension(item, DEVICE)?.valueCode;
  const side = codeOf(item.bodySite, BODY_SIDE);
  return {
    acte,
    domaine,
    quantite,
    prix,
    base: centsOf(extension(item, AMO_BASE)?.valueMoney, `${at}.extension('${AMO_BASE}')`),
    tauxAmo: rate,
    ...optionalCents(item, at, { participationForfaitaire: FLAT_FEE, franchise: DEDUCTIBLE, prixLimite: PRICE_LIMIT }),
    ...(optam === undefined ? {} : { optam: booleanOf(optam, `${at}.extension('${OPTAM}')`) }),
    ...(programOf(item, at) ? { centPourCentSante: true } : {}),
    ...(device === undefined ? {} : { dispositif: device as NonNullable<LineBody['dispositif']> }),
    ...(side === undefined ? {} : { cote: side as 'D' | 'G' }),
  };
}

/** The amount extensions an item may carry, by REST field, in cents. */
export function optionalCents<K extends string>(item: ClaimItem, at: string, urls: Readonly<Record<K, string>>): Partial<Record<K, number>> {
  const found: Partial<Record<K, number>> = {};
  for (const [field, url] of Object.entries(urls) as [K, string][]) {
    const money = extension(item, url);
    if (money !== undefined) found[field] = centsOf(money.valueMoney, `${at}.extension('${url}')`);
  }
  return found;
}

function booleanOf(found: Extension, expression: string): boolean {
  if (found.valueBoolean === undefined) throw new FhirInputError('FIELD_INVALID', expression, 'valueBoolean attendu');
  return found.valueBoolean;
}

function programOf(item: ClaimItem, at: string): boolean {
  const codes = (item.programCode ?? []).flatMap((concept) => concept.coding ?? []).filter((c) => c.system === PROGRAM);
  if (codes.some((c) => c.code !== HUNDRED_PERCENT_SANTE)) throw new FhirInputError('FIELD_INVALID', `${at}.programCode`, `seul ${HUNDRED_PERCENT_SANTE} est connu`);
  return codes.length > 0;
}

/** Euros as FHIR Money (decimal), in cents; EUR only, to the cent. */
export function centsOf(money: Money | undefined, expression: string): number {
  if (money?.value === undefined) throw new FhirInputError('FIELD_MISSING', expression, 'montant (Money) attendu');
  if (money.currency !== 'EUR') throw new FhirInputError('FIELD_INVALID', expression, 'devise EUR attendue');
  const cents = Math.round(money.value * 100);
  if (Math.abs(money.value * 100 - cents) > 1e-6) throw new FhirInputError('FIELD_INVALID', expression, 'montant au centime près');
  return cents;
}

export function codeOf(concept: CodeableConcept | undefined, system: string): string | undefined {
  return concept?.coding?.find((c) => c.system === system)?.code;
}

export function extension(holder: { extension?: Extension[] | undefined }, url: string): Extension | undefined {
  return holder.extension?.find((e) => e.url === url);
}
