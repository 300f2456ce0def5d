import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateCoverage, type CoverageCalculation, type CoverageRequest, type InvoiceLine, type LineCoverage } from './calculate.js';
import { familyOf, type ActFamily } from './act-family.js';
import { copayOwed } from './line-rules.js';
import { equipmentCapCents, isClassBGlasses, lensComplexities } from './optical-equipment.js';
import { equipmentMinimumCents } from './optical-minimum.js';
import { FRAME_CAP_CENTS, HEARING_AID_CAP_CENTS } from './responsable-caps.js';
import { applyRate } from './rounding.js';
import type { CareDomain } from './care-domain.js';
import type { DomainGuarantee, LensComplexity } from './calculation-types.js';
import type { GuaranteeExpression } from './guarantee-expression.js';
import { cents } from '../money.js';
import { careDay, carePmss, coverageRequest } from './test-support/invoices.js';

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
          if (!eligible || (line.domain === 'PHAR' && [1_500, 3_000].includes(line.amoRateBp))) continue;
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

  it('keeps a contrat responsable within its caps: non-OPTAM dépassements, price limits, frames, hearing aids', () => {
    const responsable = coverageRequest.map((input) => ({ ...input, terms: { ...input.terms, responsable: true } }));
    fc.assert(
      fc.property(responsable, (input) => {
        for (const [line, result] of pairs(input)) {
          const mandatory = line.hundredPercentSante === true || (line.domain === 'HOSP' && line.actCode === 'FJ');
          if (mandatory || result.rule === 'not_covered') continue;
          // The ticket modérateur stays owed even under a cap below the base.
          const within = (cap: number): void => expect(result.amoCents + result.amcCents).toBeLessThanOrEqual(Math.max(cap, baseOf(line)));
          const physician = ['MED', 'MEDE', 'RADL'].includes(line.domain);
          if ((physician && line.optam === undefined) || line.optam === false) within(Math.min(2 * baseOf(line), adherentCapOf(input, line)));
          if (line.priceLimitCents !== undefined) within(line.priceLimitCents * line.quantity);
          if (line.device?.kind === 'frame') within(FRAME_CAP_CENTS * line.quantity);
          if (line.device?.kind === 'hearing_aid') within(HEARING_AID_CAP_CENTS * line.quantity);
        }
      }),
    );
  });

  it('keeps a contrat responsable\'s class B glasses within the cap of their pair of lenses, frame included', () => {
    const responsable = coverageRequest.map((input) => ({ ...input, terms: { ...input.terms, responsable: true } }));
    fc.assert(
      fc.property(responsable, (input) => {
        const glasses = pairs(input).filter(([line]) => line.domain === 'OPTI' && line.hundredPercentSante !== true && ['frame', 'lens'].includes(line.device?.kind ?? ''));
        const paid = sum(glasses.map(([, r]) => r.amoCents + r.amcCents));
        const cap = equipmentCapCents(lensComplexities(input.lines));
        expect(paid).toBeLessThanOrEqual(Math.max(cap, sum(glasses.map(([line]) => baseOf(line)))));
      }),
    );
  });

  it('owes no ticket modérateur on 15 % and 30 % medicines nor spa cures: the guarantee alone decides', () => {
    const responsable = coverageRequest.map((input) => ({ ...input, terms: { ...input.terms, responsable: true } }));
    fc.assert(
      fc.property(responsable, (input) => {
        // Without ceilings, which a contrat responsable's floors on other lines would leave fuller.
        const uncapped = Object.fromEntries(Object.entries(input.terms.guarantees).map(([d, g]) => [d, { ...g, annualCeilingCents: null }]));
        const open = { ...input, terms: { responsable: true, guarantees: uncapped } };
        const alone = calculated({ ...open, terms: { ...open.terms, responsable: false } }).lines;
        pairs(open).forEach(([line, result], i) => {
          if (copayOwed(line) || line.hundredPercentSante === true) return;
          if (line.priceLimitCents === undefined) expect(result.amcCents).toBe(alone[i]?.amcCents);
          else expect(result.amcCents).toBeLessThanOrEqual(alone[i]?.amcCents ?? -1);
        });
      }),
    );
  });
});

describe('guarantees per act family', () => {
  const rates: Readonly<Record<string, number>> = { PHAR15: 1_500, PHAR30: 3_000, PHAR65: 6_500, PHAR100: 10_000 };
  const asMedicine = (line: InvoiceLine, amoRateBp: number): InvoiceLine => ({
    actCode: line.actCode, domain: 'PHAR', quantity: line.quantity, unitPriceCents: line.unitPriceCents, unitBaseCents: line.unitBaseCents,
    amoRateBp, flatFeeCents: line.flatFeeCents, deductibleCents: line.deductibleCents,
  });
  /** Pharmacy invoices at one family's rate, whose guarantee leaves that family out: the rule is met on every line. */
  const pharmacy = fc.tuple(coverageRequest, fc.constantFrom<ActFamily>('PHAR15', 'PHAR30', 'PHAR65', 'PHAR100')).map(([input, left]): CoverageRequest => {
    const base = input.terms.guarantees.PHAR ?? { expression: { basis: 'actual_cost', rateBp: 0, flatCents: cents(0) }, annualCeilingCents: null, consumedCents: cents(0) };
    const guarantee: DomainGuarantee = { ...base, families: { ...base.families, [left]: null } };
    return { ...input, lines: input.lines.map((line) => asMedicine(line, rates[left] ?? 0)), terms: { ...input.terms, guarantees: { PHAR: guarantee } } };
  });

  it('pays a line whose act family is not covered only the ticket modérateur a contrat responsable owes', () => {
    fc.assert(
      fc.property(fc.oneof(coverageRequest, pharmacy), (input) => {
        for (const [line, result] of pairs(input)) {
          const family = familyOf(line);
          if (family === undefined || input.terms.guarantees[line.domain]?.families?.[family] !== null) continue;
          const owed = input.terms.responsable && copayOwed(line) ? baseOf(line) - result.amoCents : 0;
          // The glasses' minimum of a contrat responsable may pay more (optical-minimum.test.ts), never less.
          if (input.terms.responsable && isClassBGlasses(line) && equipmentMinimumCents(lensComplexities(input.lines.filter(isClassBGlasses))) > 0) expect(result.amcCents).toBeGreaterThanOrEqual(owed);
          else expect(result.amcCents).toBe(owed);
        }
      }),
    );
  });
});

describe('contrat responsable caps, on invoices drawn where they bite', () => {
  const noCeiling = (expression: GuaranteeExpression): DomainGuarantee => ({ expression, annualCeilingCents: null, consumedCents: cents(0) });
  const brPercent = fc.record({ rateBp: fc.integer({ min: 0, max: 50_000 }), flat: fc.integer({ min: 0, max: 5_000 }) });

  it('pays a physician outside OPTAM no more than R871-2 allows, and never more than an adherent', () => {
    const drawn = fc.record({
      domain: fc.constantFrom<CareDomain>('MED', 'MEDE', 'RADL'),
      optam: fc.constantFrom(undefined, false),
      base: fc.integer({ min: 0, max: 20_000 }),
      over: fc.integer({ min: 0, max: 40_000 }),
      quantity: fc.integer({ min: 1, max: 3 }),
      amoRateBp: fc.constantFrom(6_000, 7_000, 10_000),
      guarantee: brPercent,
    });
    fc.assert(
      fc.property(drawn, (d) => {
        const line: InvoiceLine = {
          actCode: 'CS', domain: d.domain, quantity: d.quantity, unitPriceCents: cents(d.base + d.over), unitBaseCents: cents(d.base),
          amoRateBp: d.amoRateBp, flatFeeCents: cents(0), deductibleCents: cents(0), ...(d.optam === undefined ? {} : { optam: d.optam }),
        };
        const terms = { responsable: true, guarantees: { [d.domain]: noCeiling({ basis: 'br_percent', rateBp: d.guarantee.rateBp, flatCents: cents(d.guarantee.flat) }) } };
        const input: CoverageRequest = { careDate: careDay, ...carePmss, lines: [line], terms };
        const [outside] = calculated(input).lines;
        const [adherent] = calculated({ ...input, lines: [{ ...line, optam: true }] }).lines;
        const paid = (outside?.amoCents ?? 0) + (outside?.amcCents ?? 0);
        expect(paid).toBeLessThanOrEqual(Math.max(baseOf(line), Math.min(2 * baseOf(line), adherentCapOf(input, line))));
        expect(outside?.amcCents).toBeLessThanOrEqual(adherent?.amcCents ?? -1);
      }),
    );
  });

  it('pays a pair of class B glasses no more than its grid, and a frame no more than 100 €', () => {
    const complexity = fc.constantFrom<LensComplexity>('simple', 'complex', 'very_complex');
    const price = fc.integer({ min: 0, max: 60_000 });
    const guarantee = fc.oneof(
      fc.constant<GuaranteeExpression>({ basis: 'actual_cost', rateBp: 0, flatCents: cents(0) }),
      fc.integer({ min: 0, max: 60_000 }).map((c): GuaranteeExpression => ({ basis: 'flat', rateBp: 0, flatCents: cents(c) })),
      brPercent.map((g): GuaranteeExpression => ({ basis: 'br_percent', rateBp: g.rateBp, flatCents: cents(g.flat) })),
    );
    const drawn = fc.record({ frame: price, lenses: fc.array(fc.tuple(price, complexity), { minLength: 0, maxLength: 2 }), guarantee });
    fc.assert(
      fc.property(drawn, (d) => {
        const item = (unitPrice: number, device: InvoiceLine['device'], actCode: string): InvoiceLine => ({
          actCode, domain: 'OPTI', quantity: 1, unitPriceCents: cents(unitPrice), unitBaseCents: cents(5), amoRateBp: 6_000,
          flatFeeCents: cents(0), deductibleCents: cents(0), ...(device ? { device } : {}),
        });
        const lines = [item(d.frame, { kind: 'frame' }, 'MONTURE'), ...d.lenses.map(([p, c], i) => item(p, { kind: 'lens', complexity: c }, `VERRE${i}`))];
        const input: CoverageRequest = { careDate: careDay, ...carePmss, lines, terms: { responsable: true, guarantees: { OPTI: noCeiling(d.guarantee) } } };
        const result = calculated(input);
        const paid = result.lines.map((l) => l.amoCents + l.amcCents);
        const bases = sum(lines.map(baseOf));
        expect(sum(paid)).toBeLessThanOrEqual(Math.max(equipmentCapCents(d.lenses.map(([, c]) => c)), bases));
        expect(paid[0]).toBeLessThanOrEqual(Math.max(FRAME_CAP_CENTS, baseOf(lines[0] as InvoiceLine)));
      }),
    );
  });
});

/**
 * R871-2 CSS written again, apart from the engine: on a non-OPTAM line AMO + AMC ≤ base + the
 * adherent's cover of the dépassement (a `N% BR (+ N €)` guarantee above the base) − 20 % of the base.
 */
function adherentCapOf(input: CoverageRequest, line: InvoiceLine): number {
  const expression = input.terms.guarantees[line.domain]?.expression;
  if (expression?.basis !== 'br_percent') return Number.MAX_SAFE_INTEGER;
  const base = baseOf(line);
  const adherentExcess = applyRate(base, expression.rateBp) + expression.flatCents * line.quantity - base;
  return base + Math.max(0, adherentExcess - applyRate(base, 2_000));
}
