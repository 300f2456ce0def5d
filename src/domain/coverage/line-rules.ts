import type { CareDomain } from './care-domain.js';
import type { CoverageRule, CoverageTerms, InvoiceLine } from './calculation-types.js';
import type { GuaranteeExpression } from './guarantee-expression.js';

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

interface LineAmounts {
  readonly priceCents: number;
  /** The base actually reimbursed: the tariff, or the price when lower (the AMO never pays more than was charged). */
  readonly baseCents: number;
  readonly amoCents: number;
  readonly amoPaidCents: number;
}

interface Cover {
  readonly floorCents: number;
  readonly wantedCents: number;
  readonly rule: CoverageRule;
}

/**
 * The one rounding rule: a rate in basis points applies to a line total and is rounded
 * half-up to the cent, once. BigInt keeps 999 999 bp × 10¹² cents exact.
 */
export function applyRate(amountCents: number, rateBp: number): number {
  return Number((BigInt(amountCents) * BigInt(rateBp) + 5_000n) / 10_000n);
}

export function planLine(line: InvoiceLine, index: number, terms: CoverageTerms, pmssCents: number): LinePlan {
  const amounts = lineAmounts(line);
  const guarantee = terms.guarantees[line.domain];
  const cover: Cover = guarantee
    ? coverLine(line, amounts, guarantee.expression, terms.responsable, pmssCents)
    : { floorCents: 0, wantedCents: 0, rule: 'not_covered' };
  return { index, line, priceCents: amounts.priceCents, amoCents: amounts.amoCents, amoPaidCents: amounts.amoPaidCents, ...cover };
}

function lineAmounts(line: InvoiceLine): LineAmounts {
  const priceCents = line.unitPriceCents * line.quantity;
  const baseCents = Math.min(line.unitBaseCents * line.quantity, priceCents);
  const amoCents = applyRate(baseCents, line.amoRateBp);
  // PF and franchise come out of the AMO payment; what the AMO cannot withhold stays with the patient.
  const amoPaidCents = Math.max(0, amoCents - line.flatFeeCents - line.deductibleCents);
  return { priceCents, baseCents, amoCents, amoPaidCents };
}

function coverLine(line: InvoiceLine, amounts: LineAmounts, expression: GuaranteeExpression, responsable: boolean, pmssCents: number): Cover {
  const mandatory = responsable ? mandatoryCover(line, amounts) : undefined;
  if (mandatory) return mandatory;
  const allowed = guaranteeAmount(expression, line.quantity, amounts, pmssCents) - amounts.amoCents;
  // The AMC never pays the PF nor the franchise: its part stops at price − AMO before they are withheld.
  const generic = Math.max(0, Math.min(amounts.priceCents - amounts.amoCents, allowed));
  const cap = responsable ? regulatedCap(line, amounts) : undefined;
  const capped = cap && cap.cents < generic ? cap : { cents: generic, rule: expression.basis };
  const floorCents = responsable && copayOwed(line) ? amounts.baseCents - amounts.amoCents : 0;
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
  if (line.domain === 'HOSP' && line.actCode.trim().toUpperCase() === 'FJ') {
    const cents = amounts.priceCents - amounts.amoCents;
    return { floorCents: cents, wantedCents: cents, rule: 'hospital_daily_fee' };
  }
  return undefined;
}

/**
 * Caps a contrat responsable puts on the AMC part. Non-OPTAM physicians: the dépassement
 * (price above the base) is covered up to 100 % of the base, so AMC ≤ TM + base = 2 × base − AMO.
 * A regulated price limit: AMO + AMC ≤ limit × quantity.
 */
function regulatedCap(line: InvoiceLine, amounts: LineAmounts): { cents: number; rule: CoverageRule } | undefined {
  const caps: { cents: number; rule: CoverageRule }[] = [];
  if (isPhysician(line.domain) && line.optam === false) caps.push({ cents: 2 * amounts.baseCents - amounts.amoCents, rule: 'optam_cap' });
  if (line.priceLimitCents !== undefined) caps.push({ cents: Math.max(0, line.priceLimitCents * line.quantity - amounts.amoCents), rule: 'price_limit' });
  return caps.sort((a, b) => a.cents - b.cents)[0];
}

/** The full TM is owed on every line but medicines reimbursed at 15 % and spa cures. */
function copayOwed(line: InvoiceLine): boolean {
  return line.domain !== 'CURE' && !(line.domain === 'PHAR' && line.amoRateBp === 1_500);
}

function isPhysician(domain: CareDomain): boolean {
  return domain === 'MED' || domain === 'MEDE';
}
