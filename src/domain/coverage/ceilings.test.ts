import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays, addMonths, type CalendarDate } from '../dates.js';
import { calculateCoverage, type CoverageCalculation, type CoverageRequest, type DomainGuarantee, type InvoiceLine } from './calculate.js';
import { usedInPeriod, type CeilingEntry, type CeilingPeriod, type CeilingScope, type Side } from './ceiling-period.js';
import { calculated, coverageRequest, guarantee, line } from './test-support/invoices.js';

const careDate = today();
const used = (months: number, amountCents: number, side?: Side): CeilingEntry => ({ careDate: addMonths(careDate, -months), amountCents, kind: 'consumed', ...(side ? { side } : {}) });
/** A contact lens of the eye: "other" has no legal cap nor renewal, so only the ceiling limits it. */
const contact = (side?: Side): InvoiceLine => line({ actCode: 'LC', domain: 'OPTI', price: 150, base: 0, amoRateBp: 0, device: { kind: 'other' }, ...(side ? { side } : {}) });

function calculatedOptics(lines: InvoiceLine[], opti: DomainGuarantee): CoverageCalculation {
  return calculated({ careDate, lines, terms: { responsable: true, guarantees: { OPTI: opti } } });
}

describe('ceilings over their period, per beneficiary or per side', () => {
  const rolling = (history: CeilingEntry[], extra: Partial<DomainGuarantee> = {}): DomainGuarantee =>
    ({ ...guarantee('FR', { ceiling: 200, consumed: 0 }), ceilingPeriod: { kind: 'rolling', months: 24 }, history, ...extra });

  it('lowers a rolling 24-month ceiling by what was used 20 months ago, not 25 months ago', () => {
    expect(calculatedOptics([contact()], rolling([used(20, 12_000)])).lines[0]).toMatchObject({ amcCents: 8_000, rule: 'ceiling_reached' });
    expect(calculatedOptics([contact()], rolling([used(25, 12_000)])).lines[0]).toMatchObject({ amcCents: 15_000, rule: 'actual_cost' });
  });

  it('keeps the calendar year when the guarantee says no period, the counter and the entries adding up', () => {
    const january = `${careDate.slice(0, 4)}-01-01` as CalendarDate;
    const lastYear: CeilingEntry = { careDate: addMonths(january, -1), amountCents: 20_000, kind: 'consumed' };
    const thisYear: CeilingEntry = { careDate: january, amountCents: 5_000, kind: 'consumed' };
    const g = { ...guarantee('FR', { ceiling: 200, consumed: 100 }), history: [lastYear, thisYear] };
    expect(calculatedOptics([contact()], g)).toMatchObject({ lines: [{ amcCents: 5_000 }], ceilings: [{ consumedBeforeCents: 15_000, consumptionCents: 5_000 }] });
  });

  it('gives each eye its own ceiling, lines without a side a pot of their own', () => {
    const g = rolling([used(3, 18_000, 'right')], { ceilingScope: 'eye' });
    const result = calculatedOptics([contact('right'), contact('left'), contact()], g);
    expect(result.lines.map((l) => l.amcCents)).toEqual([2_000, 15_000, 15_000]);
    expect(result.ceilings.map((c) => [c.side, c.consumedBeforeCents, c.consumptionCents])).toEqual([['right', 18_000, 2_000], ['left', 0, 15_000], [undefined, 0, 15_000]]);
  });

  it('refuses a per-ear ceiling in optics, a period too long, and a side on a physician’s line', () => {
    const refusal = (lines: InvoiceLine[], opti: DomainGuarantee): string => {
      const result = calculateCoverage({ careDate, lines, terms: { responsable: true, guarantees: { OPTI: opti } } });
      return result.ok ? 'ok' : result.error.code;
    };
    expect(refusal([contact('right')], rolling([], { ceilingScope: 'ear' }))).toBe('FIELD_INVALID');
    expect(refusal([contact()], rolling([], { ceilingPeriod: { kind: 'rolling', months: 121 } }))).toBe('FIELD_INVALID');
    expect(refusal([contact(), line({ domain: 'MED', price: 30, side: 'left' })], rolling([]))).toBe('FIELD_INVALID');
  });
});

/** Any invoice, its optical and hearing lines given sides, its guarantees periods, scopes and past movements (no equipment: no renewal). */
const periodRequest: fc.Arbitrary<CoverageRequest> = coverageRequest.chain((input) => {
  const sides = fc.array(fc.constantFrom<Side | undefined>('right', 'left', undefined), { minLength: input.lines.length, maxLength: input.lines.length });
  const terms = fc.record({
    period: fc.oneof(fc.constant<CeilingPeriod>({ kind: 'calendar_year' }), fc.integer({ min: 1, max: 120 }).map((months): CeilingPeriod => ({ kind: 'rolling', months }))),
    perSide: fc.boolean(),
    history: fc.array(fc.record({
      days: fc.integer({ min: -3_000, max: 30 }),
      amountCents: fc.integer({ min: 0, max: 40_000 }),
      kind: fc.constantFrom<CeilingEntry['kind']>('reserved', 'consumed', 'released'),
      side: fc.constantFrom<Side | undefined>('right', 'left', undefined),
    }), { maxLength: 6 }),
  });
  return fc.tuple(sides, fc.array(terms, { minLength: 13, maxLength: 13 })).map(([drawn, perDomain]) => ({
    ...input,
    lines: input.lines.map((l, i) => (drawn[i] && (l.domain === 'OPTI' || l.domain === 'AUDI') ? { ...l, side: drawn[i] } : l)),
    terms: {
      ...input.terms,
      guarantees: Object.fromEntries(Object.entries(input.terms.guarantees).map(([domain, g], i) => {
        const drawnTerms = perDomain[i % perDomain.length];
        const scope: CeilingScope = drawnTerms?.perSide && domain === 'OPTI' ? 'eye' : drawnTerms?.perSide && domain === 'AUDI' ? 'ear' : 'beneficiary';
        const history = (drawnTerms?.history ?? []).map((h): CeilingEntry => ({ careDate: addDays(input.careDate, h.days), amountCents: h.amountCents, kind: h.kind, ...(h.side ? { side: h.side } : {}) }));
        return [domain, { ...g, ceilingPeriod: drawnTerms?.period ?? { kind: 'calendar_year' }, ceilingScope: scope, history }];
      })),
    },
  }));
});

describe('ceilings over periods and sides, for any invoice', () => {
  it('never spends more than what the period has left of each ceiling, on each side', () => {
    fc.assert(
      fc.property(periodRequest, (request) => {
        const result = calculated(request);
        for (const use of result.ceilings) {
          const g = request.terms.guarantees[use.domain];
          const perSide = (g?.ceilingScope ?? 'beneficiary') !== 'beneficiary';
          const entries = (g?.history ?? []).filter((e) => !perSide || e.side === use.side);
          const before = (g?.consumedCents ?? 0) + usedInPeriod(entries, request.careDate, g?.ceilingPeriod ?? { kind: 'calendar_year' });
          expect(use.consumedBeforeCents).toBe(before);
          expect(use.consumptionCents).toBeLessThanOrEqual(Math.max(0, use.ceilingCents - before));
          const drawing = request.lines.map((l, i) => [l, result.lines[i]] as const).filter(([l]) => l.domain === use.domain && (!perSide || l.side === use.side));
          expect(use.consumptionCents).toBe(drawing.reduce((total, [, r]) => total + (r?.ceilingConsumedCents ?? 0), 0));
        }
      }),
    );
  });

  it('gives the same amounts whatever the order of the lines, and no line more than with no past movement', () => {
    const shuffled = periodRequest.chain((input) => fc.shuffledSubarray([...input.lines], { minLength: input.lines.length }).map((lines) => [input, { ...input, lines }] as const));
    fc.assert(
      fc.property(shuffled, ([input, reordered]) => {
        const canonical = (request: CoverageRequest): string[] => calculated(request).lines.map((r, i) => JSON.stringify([request.lines[i], r])).sort();
        expect(canonical(reordered)).toEqual(canonical(input));
        const fresh = Object.fromEntries(Object.entries(input.terms.guarantees).map(([d, g]) => [d, { ...g, history: [] }]));
        const withoutPast = calculated({ ...input, terms: { ...input.terms, guarantees: fresh } });
        calculated(input).lines.forEach((r, i) => expect(r.amcCents).toBeLessThanOrEqual(withoutPast.lines[i]?.amcCents ?? -1));
      }),
    );
  });
});
