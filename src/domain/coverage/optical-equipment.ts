import type { InvoiceLine, LensComplexity } from './calculation-types.js';
import { compareLines } from './line-order.js';
import type { LinePlan } from './line-rules.js';

/**
 * Class B glasses under a contrat responsable: AMO + AMC on the whole equipment (frame
 * included) at most this, by the complexity of its two lenses (art. R871-2 CSS as amended
 * by décret 2019-21). Rows and columns: simple, complex, very complex.
 */
const EQUIPMENT_CAP_CENTS: readonly (readonly number[])[] = [
  [42_000, 56_000, 61_000],
  [56_000, 70_000, 75_000],
  [61_000, 75_000, 80_000],
];
const complexityRank: Readonly<Record<LensComplexity, number>> = { simple: 0, complex: 1, very_complex: 2 };

/** An invoice carries one pair of glasses at most (checked on input, device-input.ts). */
export const MAX_FRAMES = 1;
export const MAX_LENSES = 2;

/**
 * Lowers the class B lines of the invoice's glasses so that together they stay within the
 * cap of their lens pair. The cut comes off the part above each line's floor (the TM stays
 * owed), in the canonical line order, so the result does not depend on the caller's order.
 */
export function capOpticalEquipment(plans: readonly LinePlan[], responsable: boolean): LinePlan[] {
  const classB = plans.filter((plan) => responsable && isClassBGlasses(plan.line));
  const capCents = equipmentCapCents(lensComplexities(plans.map((plan) => plan.line)));
  let excess = classB.reduce((sum, plan) => sum + plan.amoCents + plan.wantedCents, 0) - capCents;
  if (excess <= 0) return [...plans];
  const cut = new Map<number, number>();
  for (const plan of [...classB].sort((a, b) => compareLines(a.line, b.line))) {
    const share = Math.min(excess, plan.wantedCents - plan.floorCents);
    cut.set(plan.index, share);
    excess -= share;
  }
  return plans.map((plan) => lowered(plan, cut.get(plan.index) ?? 0));
}

function lowered(plan: LinePlan, cutCents: number): LinePlan {
  return cutCents > 0 ? { ...plan, wantedCents: plan.wantedCents - cutCents, rule: 'optical_equipment_cap' } : plan;
}

/** A frame or a lens of class B: outside the 100 % Santé basket. */
export function isClassBGlasses(line: InvoiceLine): boolean {
  const kind = line.device?.kind;
  return line.domain === 'OPTI' && line.hundredPercentSante !== true && (kind === 'frame' || kind === 'lens');
}

/** One complexity per lens of the invoice (a line of quantity 2 is two lenses). */
export function lensComplexities(lines: readonly InvoiceLine[]): LensComplexity[] {
  return lines.flatMap((line) => (line.domain === 'OPTI' && line.device?.kind === 'lens' ? Array<LensComplexity>(line.quantity).fill(line.device.complexity) : []));
}

/** A missing lens counts as simple: the side that pays less. */
export function equipmentCapCents(lenses: readonly LensComplexity[]): number {
  const [first = 'simple', second = 'simple'] = lenses;
  return EQUIPMENT_CAP_CENTS[complexityRank[first]]?.[complexityRank[second]] ?? 0;
}
