import { addMonths, type CalendarDate } from '../dates.js';
import type { CoverageRequest, InvoiceLine } from './calculation-types.js';
import { lastEquipmentBefore, type Equipment } from './ceiling-period.js';
import { copayOwed, type LinePlan } from './line-rules.js';
import { lineAmounts } from './line-amounts.js';

/**
 * What a contrat responsable may cover at most once per period (art. R871-2 CSS, décret
 * 2019-21; the LPP's renewal conditions): a pair of glasses every 24 months from 16 years
 * old, every 12 months before; a hearing aid every 48 months, per ear. The shorter delays
 * (6 months under 6 years for an unsuitable frame, a change of sight) need a prescription
 * the calculation does not receive: not applied (docs/coverage-rules.md).
 */
export const LEGAL_RENEWAL_MONTHS: Readonly<Record<Equipment, number>> = { glasses: 24, hearing_aid: 48 };
export const CHILD_GLASSES_RENEWAL_MONTHS = 12;
export const CHILD_AGE_LIMIT_YEARS = 16;

export interface RenewalTerms {
  readonly responsable: boolean;
  /** The guarantee's own period (catalogue `renouvellementMois`), null when it says none. */
  readonly contractMonths: number | null;
  /** Age on the day of care; unknown counts as an adult, the side that pays less. */
  readonly ageYears: number | undefined;
}

/**
 * The equipment a line is part of, if the law renews it only after a delay. A 100 % Santé
 * optical or hearing line that does not say what it sells is of the basket, which holds
 * glasses (class A) and hearing aids (class I) only.
 */
export function equipmentOf(line: InvoiceLine): Equipment | undefined {
  const kind = line.device?.kind ?? (line.hundredPercentSante === true ? 'basket' : undefined);
  if (line.domain === 'OPTI' && (kind === 'frame' || kind === 'lens' || kind === 'basket')) return 'glasses';
  if (line.domain === 'AUDI' && (kind === 'hearing_aid' || kind === 'basket')) return 'hearing_aid';
  return undefined;
}

/**
 * The renewal period in months, or undefined when nothing limits it. A contrat responsable
 * never covers sooner than the law allows; a contract may wait longer. Under 16 the
 * glasses' delay is the child's one, the contract's adult period shortened to it.
 */
export function renewalMonths(equipment: Equipment, terms: RenewalTerms): number | undefined {
  const child = equipment === 'glasses' && terms.ageYears !== undefined && terms.ageYears < CHILD_AGE_LIMIT_YEARS;
  const legal = child ? CHILD_GLASSES_RENEWAL_MONTHS : LEGAL_RENEWAL_MONTHS[equipment];
  const contract = terms.contractMonths === null ? undefined : child ? Math.min(terms.contractMonths, legal) : terms.contractMonths;
  if (!terms.responsable) return contract;
  return Math.max(legal, contract ?? 0);
}

/** Whether equipment bought on `careDate` comes before the end of the period opened by the last one. */
export function insideRenewal(careDate: CalendarDate, last: CalendarDate | undefined, months: number | undefined): boolean {
  return last !== undefined && months !== undefined && careDate < addMonths(last, months);
}

/**
 * Lines of equipment bought inside its renewal period: the guarantee no longer pays them,
 * 100 % Santé included; a contrat responsable still owes the ticket modérateur (R871-2, 1°),
 * paid outside the ceiling like every legal minimum.
 */
export function applyRenewal(plans: readonly LinePlan[], request: CoverageRequest): LinePlan[] {
  return plans.map((plan) => {
    const equipment = equipmentOf(plan.line);
    const guarantee = request.terms.guarantees[plan.line.domain];
    if (!equipment || !guarantee) return plan;
    const terms = { responsable: request.terms.responsable, contractMonths: guarantee.renewalMonths ?? null, ageYears: request.beneficiaryAgeYears };
    // Glasses are one equipment whatever the eye; hearing aids are renewed ear by ear.
    const side = equipment === 'hearing_aid' ? plan.line.side : undefined;
    const last = lastEquipmentBefore(guarantee.history ?? [], request.careDate, equipment, side);
    if (!insideRenewal(request.careDate, last, renewalMonths(equipment, terms))) return plan;
    const amounts = lineAmounts(plan.line);
    // Never more than the line would get outside its period (a 100 % Santé limit below the base caps the copay too).
    const copay = request.terms.responsable && copayOwed(plan.line) ? amounts.baseCents - amounts.amoCents : 0;
    const floor = Math.min(copay, plan.wantedCents);
    return { ...plan, floorCents: floor, wantedCents: floor, rule: 'renewal_period' };
  });
}
