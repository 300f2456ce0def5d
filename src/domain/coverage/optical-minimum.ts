import type { CoverageRequest, LensComplexity } from './calculation-types.js';
import { lineAmounts } from './line-amounts.js';
import { compareLines } from './line-order.js';
import type { LinePlan } from './line-rules.js';
import { isClassBGlasses, lensComplexities, MAX_LENSES } from './optical-equipment.js';
import { responsableCap } from './responsable-caps.js';

/**
 * What a contrat responsable pays at least on class B glasses, AMO included like the grid's
 * caps (art. R871-2 CSS as amended by décret 2019-21): 50 € with two simple lenses, 200 €
 * as soon as one lens is complex or very complex.
 */
export const SIMPLE_EQUIPMENT_MINIMUM_CENTS = 5_000;
export const COMPLEX_EQUIPMENT_MINIMUM_CENTS = 20_000;

/** The minimum of a pair of lenses; none for fewer than two (a lone lens or frame is not an equipment: the side that pays less). */
export function equipmentMinimumCents(lenses: readonly LensComplexity[]): number {
  if (lenses.length < MAX_LENSES) return 0;
  return lenses.every((complexity) => complexity === 'simple') ? SIMPLE_EQUIPMENT_MINIMUM_CENTS : COMPLEX_EQUIPMENT_MINIMUM_CENTS;
}

/**
 * Raises the class B glasses of a contrat responsable to their minimum when the guarantee
 * gives less (a `100% BR` on a 0,05 € base gives nothing). The raise goes to the lines in
 * the canonical order, each up to what it may still receive: its price net of the AMO, and
 * its own legal cap (100 € for the frame, a price limit). It is not a floor: unlike the
 * ticket modérateur it counts on the guarantee's ceiling and yields to it, the ceiling
 * being the product's own bound on the equipment. Glasses inside their renewal period
 * keep the ticket modérateur only.
 */
export function raiseToOpticalMinimum(plans: readonly LinePlan[], request: CoverageRequest): LinePlan[] {
  if (!request.terms.responsable || !request.terms.guarantees.OPTI) return [...plans];
  const glasses = plans.filter((plan) => isClassBGlasses(plan.line));
  if (glasses.some((plan) => plan.rule === 'renewal_period')) return [...plans];
  const paid = glasses.reduce((sum, plan) => sum + plan.amoCents + plan.wantedCents, 0);
  let missing = equipmentMinimumCents(lensComplexities(glasses.map((plan) => plan.line))) - paid;
  if (missing <= 0) return [...plans];
  const raise = new Map<number, number>();
  for (const plan of [...glasses].sort((a, b) => compareLines(a.line, b.line))) {
    const share = Math.min(missing, Math.max(0, mostAmcCents(plan) - plan.wantedCents));
    raise.set(plan.index, share);
    missing -= share;
  }
  return plans.map((plan) => {
    const share = raise.get(plan.index) ?? 0;
    return share > 0 ? { ...plan, wantedCents: plan.wantedCents + share, rule: 'optical_equipment_minimum' } : plan;
  });
}

/** The most the AMC may pay on the line: the price net of the AMO, within the line's own caps. */
function mostAmcCents(plan: LinePlan): number {
  const net = plan.priceCents - plan.amoCents;
  const cap = responsableCap(plan.line, lineAmounts(plan.line), 0);
  return cap === undefined ? net : Math.min(net, cap.cents);
}
