import { cents } from '../money.js';
import { allCareDomains } from './care-domain.js';
import type { CeilingUse, CoverageRequest, DomainGuarantee } from './calculation-types.js';
import { CALENDAR_YEAR, usedInPeriod, type Side } from './ceiling-period.js';
import { compareLines } from './line-order.js';
import type { LinePlan } from './line-rules.js';

export interface Allocation {
  /** Per line index, the part above the floor granted within the ceiling; absent = the domain has no ceiling. */
  readonly granted: ReadonlyMap<number, number>;
  readonly ceilings: readonly CeilingUse[];
}

/**
 * Shares each ceiling's remaining amount among the invoice's lines that draw on it: the
 * domain's lines, or under a per-eye or per-ear ceiling the lines of one side (lines that
 * say no side share a pot of their own). Lines are served in their canonical order
 * (line-order.ts); the part above the floor is granted line by line until it is spent.
 */
export function allocateCeilings(plans: readonly LinePlan[], request: CoverageRequest): Allocation {
  const granted = new Map<number, number>();
  const ceilings: CeilingUse[] = [];
  for (const domain of allCareDomains) {
    const guarantee = request.terms.guarantees[domain];
    const lines = plans.filter((plan) => plan.line.domain === domain);
    if (!guarantee || guarantee.annualCeilingCents === null || lines.length === 0) continue;
    for (const [side, pot] of pots(lines, guarantee)) {
      const consumedBefore = consumedBeforeCents(guarantee, request, side);
      let remaining = Math.max(0, guarantee.annualCeilingCents - consumedBefore);
      let consumption = 0;
      for (const plan of [...pot].sort((a, b) => compareLines(a.line, b.line))) {
        const share = Math.min(plan.wantedCents - plan.floorCents, remaining);
        granted.set(plan.index, share);
        remaining -= share;
        consumption += share;
      }
      const use = { domain, ceilingCents: guarantee.annualCeilingCents, consumedBeforeCents: cents(consumedBefore), consumptionCents: cents(consumption) };
      ceilings.push(side === undefined ? use : { ...use, side });
    }
  }
  return { granted, ceilings };
}

/** The lines of one ceiling, by side when the ceiling is per side, in a fixed order of the sides. */
function pots(lines: readonly LinePlan[], guarantee: DomainGuarantee): [Side | undefined, LinePlan[]][] {
  if ((guarantee.ceilingScope ?? 'beneficiary') === 'beneficiary') return [[undefined, [...lines]]];
  const sides: (Side | undefined)[] = ['right', 'left', undefined];
  return sides.map((side): [Side | undefined, LinePlan[]] => [side, lines.filter((plan) => plan.line.side === side)]).filter(([, pot]) => pot.length > 0);
}

/**
 * What the period containing the day of care has already used: the counter as given, plus
 * the beneficiary's movements in that period (on that side, for a per-side ceiling).
 */
function consumedBeforeCents(guarantee: DomainGuarantee, request: CoverageRequest, side: Side | undefined): number {
  const perSide = (guarantee.ceilingScope ?? 'beneficiary') !== 'beneficiary';
  const entries = (guarantee.history ?? []).filter((entry) => !perSide || entry.side === side);
  return guarantee.consumedCents + usedInPeriod(entries, request.careDate, guarantee.ceilingPeriod ?? CALENDAR_YEAR);
}
