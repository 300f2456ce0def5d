import type { Result } from '../identifiers/result.js';
import { cents } from '../money.js';
import { allocateCeilings } from './ceilings.js';
import { checkRequest } from './calculation-input.js';
import { coverageRules, type CoverageCalculation, type CoverageError, type CoverageRequest, type CoverageTotals, type LineCoverage } from './calculation-types.js';
import { planLine, type LinePlan } from './line-rules.js';
import { capOpticalEquipment } from './optical-equipment.js';
import { raiseToOpticalMinimum } from './optical-minimum.js';
import { applyRenewal } from './renewal.js';

export type * from './calculation-types.js';
export { coverageRules } from './calculation-types.js';
export { PMSS_2025_CENTS, pmssCentsByYear, pmssOn } from './pmss.js';

/**
 * CLC: the AMC part of each invoice line, pure (DOMAIN.md, "Computing the AMC part of a
 * line"). Per line: AMO = rate × base before PF and franchise; AMC = max(0, min(price − AMO,
 * guarantee − AMO, what the ceiling leaves)), lowered to the contrat responsable caps and
 * raised to its minimums. Choices, each in one place:
 * - rounding: a rate applies to the line total, half-up to the cent, once (applyRate);
 * - forfaits (`N €`, `N% PMSS`) are per unit, so a line of 3 acts gets 3 forfaits;
 * - legal minimums are paid outside the ceilings and not counted on them (line-rules.ts);
 * - equipment bought inside its renewal period gets the ticket modérateur only (renewal.ts);
 * - contrat responsable caps: per line (responsable-caps.ts), then per pair of glasses
 *   (optical-equipment.ts), before the ceilings; then the glasses' minimum
 *   (optical-minimum.ts), which the ceilings may still lower; docs/coverage-rules.md lists every rule;
 * - a ceiling runs over its period (calendar year or rolling months, ceiling-period.ts),
 *   per beneficiary or per side, and is shared in a canonical order of the lines' content
 *   (ceilings.ts).
 * Counters are read, never consumed: `ceilings` says what accepting the invoice would add.
 */
export function calculateCoverage(request: CoverageRequest): Result<CoverageCalculation, CoverageError> {
  const checked = checkRequest(request);
  if (!checked.ok) return checked;
  const perLine = request.lines.map((line, index) => planLine(line, index, request.terms, checked.value));
  const capped = capOpticalEquipment(applyRenewal(perLine, request), request.terms.responsable);
  const plans = raiseToOpticalMinimum(capped, request);
  const { granted, ceilings } = allocateCeilings(plans, request);
  const lines = plans.map((plan) => settleLine(plan, granted.get(plan.index)));
  return { ok: true, value: { lines, totals: sumLines(lines), ceilings } };
}

function settleLine(plan: LinePlan, granted: number | undefined): LineCoverage {
  const supplement = plan.wantedCents - plan.floorCents;
  const amc = plan.floorCents + (granted ?? supplement);
  const rule = granted !== undefined && granted < supplement ? 'ceiling_reached' : plan.rule;
  return {
    priceCents: cents(plan.priceCents),
    amoCents: cents(plan.amoCents),
    amoPaidCents: cents(plan.amoPaidCents),
    amcCents: cents(amc),
    patientCents: cents(plan.priceCents - plan.amoPaidCents - amc),
    ceilingConsumedCents: cents(granted ?? 0),
    rule,
    label: coverageRules[rule],
  };
}

function sumLines(lines: readonly LineCoverage[]): CoverageTotals {
  const sum = (pick: (line: LineCoverage) => number): number => lines.reduce((total, line) => total + pick(line), 0);
  return {
    priceCents: cents(sum((l) => l.priceCents)),
    amoCents: cents(sum((l) => l.amoCents)),
    amoPaidCents: cents(sum((l) => l.amoPaidCents)),
    amcCents: cents(sum((l) => l.amcCents)),
    patientCents: cents(sum((l) => l.patientCents)),
  };
}
