import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateCoverage, type CoverageCalculation, type CoverageRequest, type InvoiceLine, type LineCoverage } from './calculate.js';
import { coverageRequest } from './test-support/invoices.js';

function calculated(input: CoverageRequest): CoverageCalculation {
  const result = calculateCoverage(input);
  if (!result.ok) throw new Error(result.error.reason);
  return result.value;
}

/** Each line of the request with what the engine computed for it. */
function pairs(input: CoverageRequest): [InvoiceLine, LineCoverage][] {
  const { lines } = calculated(input);
  return input.lines.map((line, i) => [line, lines[i] as LineCoverage]);
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The base the AMO reimburses on: the tariff, or the price when lower. */
const baseOf = (line: InvoiceLine): number => Math.min(line.unitBaseCents, line.unitPriceCents) * line.quantity;

describe('coverage calculation, for any invoice', () => {
  it('keeps the AMC between 0 and price − AMO on every line', () => {
    fc.assert(
      fc.property(coverageRequest, (input) => {
        for (const [, result] of pairs(input)) {
          expect(result.amcCents).toBeGreaterThanOrEqual(0);
          expect(result.amcCents).toBeLessThanOrEqual(result.priceCents - result.amoCents);
        }
      }),
    );
  });

  it('splits the price exactly: AMO paid + AMC + patient = FR × quantity, per line and in total', () => {
    fc.assert(
      fc.property(coverageRequest, (input) => {
        const result = calculated(input);
        input.lines.forEach((line, i) => {
          const r = result.lines[i];
          expect(r?.priceCents).toBe(line.unitPriceCents * line.quantity);
          expect((r?.amoPaidCents ?? 0) + (r?.amcCents ?? 0) + (r?.patientCents ?? 0)).toBe(r?.priceCents);
        });
        const { totals } = result;
        expect(totals.amoPaidCents + totals.amcCents + totals.patientCents).toBe(totals.priceCents);
        expect(totals.amcCents).toBe(sum(result.lines.map((l) => l.amcCents)));
        expect(totals.priceCents).toBe(sum(input.lines.map((l) => l.unitPriceCents * l.quantity)));
      }),
    );
  });

  it('never has the AMC pay the flat fee or the franchise', () => {
    fc.assert(
      fc.property(coverageRequest, (input) => {
        for (const [line, result] of pairs(input)) {
          const withheld = line.flatFeeCents + line.deductibleCents;
          expect(result.amoPaidCents).toBe(Math.max(0, result.amoCents - withheld));
          if (result.amoCents >= withheld) expect(result.patientCents).toBeGreaterThanOrEqual(withheld);
        }
      }),
    );
  });

  it('gives the same amounts to the same lines whatever their order', () => {
    const shuffled = coverageRequest.chain((input) => fc.shuffledSubarray([...input.lines], { minLength: input.lines.length }).map((lines) => [input, { ...input, lines }] as const));
    // Identical lines may swap their shares, so lines are compared as a multiset of (line, result).
    const canonical = (input: CoverageRequest): string[] => pairs(input).map((pair) => JSON.stringify(pair)).sort();
    fc.assert(
      fc.property(shuffled, ([input, reordered]) => {
        expect(canonical(reordered)).toEqual(canonical(input));
        expect(calculated(reordered).totals).toEqual(calculated(input).totals);
        expect(calculated(reordered).ceilings).toEqual(calculated(input).ceilings);
      }),
    );
  });

  it('never spends more than a ceiling has left, and spends it all before refusing', () => {
    fc.assert(
      fc.property(coverageRequest, (input) => {
        const result = calculated(input);
        for (const use of result.ceilings) {
          const guarantee = input.terms.guarantees[use.domain];
          const remaining = Math.max(0, (guarantee?.annualCeilingCents ?? 0) - (guarantee?.consumedCents ?? 0));
          const domainLines = pairs(input).filter(([line]) => line.domain === use.domain).map(([, r]) => r);
          expect(use.consumptionCents).toBe(sum(domainLines.map((r) => r.ceilingConsumedCents)));
          expect(use.consumptionCents).toBeLessThanOrEqual(remaining);
          if (!input.terms.responsable) expect(sum(domainLines.map((r) => r.amcCents))).toBeLessThanOrEqual(remaining);
          if (domainLines.some((r) => r.rule === 'ceiling_reached')) expect(use.consumptionCents).toBe(remaining);
        }
      }),
    );
  });

  it('pays no line more than the same contract without ceilings would', () => {
    fc.assert(
      fc.property(coverageRequest, (input) => {
        const uncapped = Object.fromEntries(Object.entries(input.terms.guarantees).map(([d, g]) => [d, { ...g, annualCeilingCents: null }]));
        const free = calculated({ ...input, terms: { ...input.terms, guarantees: uncapped } });
        calculated(input).lines.forEach((line, i) => {
          expect(line.amcCents).toBeLessThanOrEqual(free.lines[i]?.amcCents ?? -1);
          if (line.rule !== 'ceiling_reached') expect(line.amcCents).toBe(free.lines[i]?.amcCents);
        });
      }),
    );
  });

  it('has a contrat responsable pay the full TM on eligible lines, ceilings or not', () => {
    const responsable = coverageRequest.map((input) => ({ ...input, terms: { ...input.terms, responsable: true } }));
    fc.assert(
      fc.property(responsable, (input) => {
        for (const [line, result] of pairs(input)) {
          const eligible = input.terms.guarantees[line.domain] && line.hundredPercentSante !== true && line.domain !== 'CURE';
          if (!eligible || (line.domain === 'PHAR' && line.amoRateBp === 1_500)) continue;
          expect(result.amcCents).toBeGreaterThanOrEqual(baseOf(line) - result.amoCents);
        }
      }),
    );
  });

  it('has a contrat responsable pay a 100 % Santé line up to its price limit, outside any ceiling', () => {
    const responsable = coverageRequest.map((input) => ({ ...input, terms: { ...input.terms, responsable: true } }));
    fc.assert(
      fc.property(responsable, (input) => {
        for (const [line, result] of pairs(input)) {
          if (line.hundredPercentSante !== true || !input.terms.guarantees[line.domain]) continue;
          const limited = Math.min(line.unitPriceCents, line.priceLimitCents ?? 0) * line.quantity;
          expect(result.amcCents).toBe(Math.max(0, limited - result.amoCents));
          expect(result.ceilingConsumedCents).toBe(0);
        }
      }),
    );
  });

  it('keeps a contrat responsable within its caps: non-OPTAM dépassements, regulated price limits', () => {
    const responsable = coverageRequest.map((input) => ({ ...input, terms: { ...input.terms, responsable: true } }));
    fc.assert(
      fc.property(responsable, (input) => {
        for (const [line, result] of pairs(input)) {
          const mandatory = line.hundredPercentSante === true || (line.domain === 'HOSP' && line.actCode === 'FJ');
          if (mandatory) continue;
          const paid = result.amoCents + result.amcCents;
          if (line.optam === false && (line.domain === 'MED' || line.domain === 'MEDE')) expect(paid).toBeLessThanOrEqual(2 * baseOf(line));
          // The ticket modérateur stays owed even under a limit below the base.
          if (line.priceLimitCents !== undefined) expect(paid).toBeLessThanOrEqual(Math.max(line.priceLimitCents * line.quantity, baseOf(line)));
        }
      }),
    );
  });
});
