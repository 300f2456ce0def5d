import { familyOf } from './act-family.js';
import type { CoverageRule, CoverageTerms, DomainGuarantee, InvoiceLine } from './calculation-types.js';
import type { GuaranteeExpression } from './guarantee-expression.js';
import { isDailyFee } from './hospital-acts.js';
import { lineAmounts, type LineAmounts } from './line-amounts.js';
import { responsableCap } from './responsable-caps.js';
import { applyRate } from './rounding.js';

/**
 * A line priced before the annual ceilings. Amounts are line totals in cents. The floor
 * is what a contrat responsable owes whatever the ceiling (ticket modérateur, forfait
 * journalier, 100 % Santé): it is paid outside the ceiling and never counted on it, so
 * the ceiling only limits the cover above the legal minimum.
 */
export interface LinePlan {
  readonly index: number;
  readonly line: InvoiceLine;
  readonly priceCents: number;
  readonly amoCents: number;
  readonly amoPaidCents: number;
  readonly floorCents: number;
  /** The AMC part before the ceiling; always ≥ floorCents and ≤ priceCents − amoCents. */
  readonly wantedCents: number;
  readonly rule: CoverageRule;
}

interface Cover {
  readonly floorCents: number;
  readonly wantedCents: number;
  readonly rule: CoverageRule;
}

export function planLine(line: InvoiceLine, index: number, terms: CoverageTerms, pmssCents: number): LinePlan {
  const amounts = lineAmounts(line);
  const guarantee = terms.guarantees[line.domain];
  const cover: Cover = guarantee
    ? coverLine(line, amounts, expressionFor(line, guarantee), terms.responsable, pmssCents)
    : { floorCents: 0, wantedCents: 0, rule: 'not_covered' };
  return { index, line, priceCents: amounts.priceCents, amoCents: amounts.amoCents, amoPaidCents: amounts.amoPaidCents, ...cover };
}

/** The guarantee of the line's act family when it has one (null: not covered), else the domain's. */
function expressionFor(line: InvoiceLine, guarantee: DomainGuarantee): GuaranteeExpression | null {
  const family = familyOf(line);
  const own = family === undefined ? undefined : guarantee.families?.[family];
  return own === undefined ? guarantee.expression : own;
}

function coverLine(line: InvoiceLine, amounts: LineAmounts, expression: GuaranteeExpression | null, responsable: boolean, pmssCents: number): Cover {
  const mandatory = responsable ? mandatoryCover(line, amounts) : undefined;
  if (mandatory) return mandatory;
  const floorCents = responsable && copayOwed(line) ? amounts.baseCents - amounts.amoCents : 0;
  if (expression === null) return { floorCents, wantedCents: floorCents, rule: floorCents > 0 ? 'responsable_minimum' : 'not_covered' };
  const allowedCents = guaranteeAmount(expression, line.quantity, amounts, pmssCents);
  // The AMC never pays the PF nor the franchise: its part stops at price − AMO before they are withheld.
  const generic = Math.max(0, Math.min(amounts.priceCents - amounts.amoCents, allowedCents - amounts.amoCents));
  const cap = responsable ? responsableCap(line, amounts, allowedCents) : undefined;
  const capped = cap && cap.cents < generic ? cap : { cents: generic, rule: expression.basis };
  if (floorCents > capped.cents) return { floorCents, wantedCents: floorCents, rule: 'responsable_minimum' };
  return { floorCents, wantedCents: capped.cents, rule: capped.rule };
}

/** What the guarantee allows on the whole line, AMO included (DOMAIN.md); forfaits are per unit. */
function guaranteeAmount(expression: GuaranteeExpression, quantity: number, amounts: LineAmounts, pmssCents: number): number {
  const flat = expression.flatCents * quantity;
  switch (expression.basis) {
    case 'br_percent':
      return applyRate(amounts.baseCents, expression.rateBp) + flat;
    case 'copay':
      return amounts.baseCents;
    case 'actual_cost':
      return amounts.priceCents;
    case 'flat':
      return flat;
    case 'pmss_percent':
      return applyRate(pmssCents * quantity, expression.rateBp);
  }
}

/** Contrat responsable lines whose AMC part the law fixes, whatever the guarantee says. */
function mandatoryCover(line: InvoiceLine, amounts: LineAmounts): Cover | undefined {
  if (line.hundredPercentSante === true) {
    // Validated: a 100 % Santé line always carries its limit.
    const limited = Math.min(amounts.priceCents, (line.priceLimitCents ?? 0) * line.quantity);
    const cents = Math.max(0, limited - amounts.amoCents);
    return { floorCents: cents, wantedCents: cents, rule: 'hundred_percent_sante' };
  }
  if (isDailyFee(line)) {
    const cents = amounts.priceCents - amounts.amoCents;
    return { floorCents: cents, wantedCents: cents, rule: 'hospital_daily_fee' };
  }
  return undefined;
}

/** AMO rates of medicines whose service rendered is low (15 %) or moderate (30 %). */
const MODERATE_MEDICINE_RATES_BP: readonly number[] = [1_500, 3_000];

/**
 * The full TM is owed on every line but spa cures and medicines of low or moderate
 * service rendered (art. R871-2 CSS, 1°): there the guarantee alone decides.
 */
export function copayOwed(line: InvoiceLine): boolean {
  return line.domain !== 'CURE' && !(line.domain === 'PHAR' && MODERATE_MEDICINE_RATES_BP.includes(line.amoRateBp));
}
