import { cents } from '../money.js';
import { allCareDomains } from './care-domain.js';
import type { CeilingUse, CoverageTerms } from './calculation-types.js';
import { compareLines } from './line-order.js';
import type { LinePlan } from './line-rules.js';

export interface Allocation {
  /** Per line index, the part above the floor granted within the ceiling; absent = the domain has no ceiling. */
  readonly granted: ReadonlyMap<number, number>;
  readonly ceilings: readonly CeilingUse[];
}

/**
 * Shares each domain's remaining ceiling among the invoice's lines of that domain. Lines
 * are served in their canonical order (line-order.ts); the part above the floor is
 * granted line by line until the ceiling is spent.
 */
export function allocateCeilings(plans: readonly LinePlan[], terms: CoverageTerms): Allocation {
  const granted = new Map<number, number>();
  const ceilings: CeilingUse[] = [];
  for (const domain of allCareDomains) {
    const guarantee = terms.guarantees[domain];
    const lines = plans.filter((plan) => plan.line.domain === domain);
    if (!guarantee || guarantee.annualCeilingCents === null || lines.length === 0) continue;
    let remaining = Math.max(0, guarantee.annualCeilingCents - guarantee.consumedCents);
    let consumption = 0;
    for (const plan of [...lines].sort((a, b) => compareLines(a.line, b.line))) {
      const share = Math.min(plan.wantedCents - plan.floorCents, remaining);
      granted.set(plan.index, share);
      remaining -= share;
      consumption += share;
    }
    ceilings.push({ domain, ceilingCents: guarantee.annualCeilingCents, consumedBeforeCents: guarantee.consumedCents, consumptionCents: cents(consumption) });
  }
  return { granted, ceilings };
}
