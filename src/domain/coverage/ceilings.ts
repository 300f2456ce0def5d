import { cents } from '../money.js';
import { allCareDomains } from './care-domain.js';
import type { CeilingUse, CoverageTerms, InvoiceLine } from './calculation-types.js';
import type { LinePlan } from './line-rules.js';

export interface Allocation {
  /** Per line index, the part above the floor granted within the ceiling; absent = the domain has no ceiling. */
  readonly granted: ReadonlyMap<number, number>;
  readonly ceilings: readonly CeilingUse[];
}

/**
 * Shares each domain's remaining ceiling among the invoice's lines of that domain. Lines
 * are served in a canonical order of their content, never the caller's order, so the
 * same lines give the same amounts however the practice software sorted them; the part
 * above the floor is granted line by line until the ceiling is spent.
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

/** A total order on everything that prices a line: lines that tie are identical. */
function compareLines(a: InvoiceLine, b: InvoiceLine): number {
  if (a.actCode !== b.actCode) return a.actCode < b.actCode ? -1 : 1;
  const [ka, kb] = [numericKey(a), numericKey(b)];
  const at = ka.findIndex((value, i) => value !== kb[i]);
  return at === -1 ? 0 : (ka[at] ?? 0) - (kb[at] ?? 0);
}

function numericKey(line: InvoiceLine): number[] {
  const optam = line.optam === undefined ? 0 : line.optam ? 2 : 1;
  return [
    line.unitPriceCents, line.unitBaseCents, line.quantity, line.amoRateBp, line.flatFeeCents, line.deductibleCents,
    optam, line.hundredPercentSante === true ? 1 : 0, line.priceLimitCents ?? -1,
  ];
}
