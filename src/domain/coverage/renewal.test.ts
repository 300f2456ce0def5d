import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addMonths, type CalendarDate } from '../dates.js';
import type { CoverageRequest, DomainGuarantee, InvoiceLine } from './calculate.js';
import type { CeilingEntry, Side } from './ceiling-period.js';
import { renewalMonths } from './renewal.js';
import { calculated, coverageRequest, guarantee, line } from './test-support/invoices.js';

const careDate = today();
const monthsAgo = (months: number): CalendarDate => addMonths(careDate, -months);

const aid = (side: Side, fields: Partial<InvoiceLine> = {}): InvoiceLine =>
  line({ domain: 'AUDI', price: 1_500, base: 400, amoRateBp: 6_000, device: { kind: 'hearing_aid' }, side, ...fields });
const lens = line({ domain: 'OPTI', price: 200, base: 10, amoRateBp: 6_000, device: { kind: 'lens', complexity: 'simple' }, quantity: 2 });
const bought = (at: CalendarDate, equipment: CeilingEntry['equipment'], side?: Side): CeilingEntry => ({
  careDate: at, amountCents: 50_000, kind: 'consumed', equipment, ...(side === undefined ? {} : { side }),
});
const withHistory = (text: string, history: CeilingEntry[], renewal: number | null = null): DomainGuarantee => ({ ...guarantee(text), history, renewalMonths: renewal });

function at(lines: InvoiceLine[], guarantees: CoverageRequest['terms']['guarantees'], responsable = true, age?: number): CoverageRequest {
  return { careDate, lines, terms: { responsable, guarantees }, ...(age === undefined ? {} : { beneficiaryAgeYears: age }) };
}

describe('renewal periods of glasses and hearing aids (art. R871-2 CSS, décret 2019-21)', () => {
  it('pays a hearing aid on the right ear two years after one on the right ear only its ticket modérateur, and the left ear in full', () => {
    const terms = { AUDI: withHistory('FR', [bought(monthsAgo(24), 'hearing_aid', 'right')]) };
    const [right, left] = calculated(at([aid('right'), aid('left')], terms)).lines;
    expect(right).toMatchObject({ amoCents: 24_000, amcCents: 16_000, rule: 'renewal_period' });
    expect(left).toMatchObject({ amcCents: 126_000, rule: 'actual_cost' });
  });

  it('renews a hearing aid after four years, and counts any ear against an aid that says none', () => {
    expect(calculated(at([aid('right')], { AUDI: withHistory('FR', [bought(monthsAgo(48), 'hearing_aid', 'right')]) })).lines[0]?.rule).toBe('actual_cost');
    const unsided = line({ domain: 'AUDI', price: 1_500, base: 400, amoRateBp: 6_000, device: { kind: 'hearing_aid' } });
    expect(calculated(at([unsided], { AUDI: withHistory('FR', [bought(monthsAgo(12), 'hearing_aid', 'left')]) })).lines[0]?.rule).toBe('renewal_period');
  });

  it('renews glasses every two years from 16, every year before, an unknown age counting as an adult', () => {
    const terms = { OPTI: withHistory('FR', [bought(monthsAgo(18), 'glasses')]) };
    const rule = (age?: number): string | undefined => calculated(at([lens], terms, true, age)).lines[0]?.rule;
    expect([rule(30), rule(16), rule(15), rule(undefined)]).toEqual(['renewal_period', 'renewal_period', 'actual_cost', 'renewal_period']);
    const recent = { OPTI: withHistory('FR', [bought(monthsAgo(10), 'glasses')]) };
    expect(calculated(at([lens], recent, true, 10)).lines[0]?.rule).toBe('renewal_period');
  });

  it('does not owe a 100 % Santé aid inside its renewal period beyond the ticket modérateur', () => {
    const classOne = line({ domain: 'AUDI', price: 950, base: 400, amoRateBp: 6_000, hundredPercentSante: true, priceLimit: 950, side: 'right' });
    const terms = { AUDI: withHistory('0 €', [bought(monthsAgo(12), 'hearing_aid', 'right')]) };
    expect(calculated(at([classOne], terms)).lines[0]).toMatchObject({ amcCents: 16_000, patientCents: 55_000, rule: 'renewal_period' });
  });

  it('never pays inside the renewal period more than outside it, even where a 100 % Santé limit is below the base', () => {
    // The degenerate limit fast-check found: outside its period the line gets nothing, so inside it neither.
    const belowBase = line({ domain: 'AUDI', price: 950, base: 400, amoRateBp: 6_000, hundredPercentSante: true, priceLimit: 0, side: 'right' });
    const history = [bought(monthsAgo(12), 'hearing_aid', 'right')];
    expect(calculated(at([belowBase], { AUDI: withHistory('0 €', []) })).lines[0]?.amcCents).toBe(0);
    expect(calculated(at([belowBase], { AUDI: withHistory('0 €', history) })).lines[0]).toMatchObject({ amcCents: 0, rule: 'renewal_period' });
  });

  it('leaves a contract that is not responsable to its own renewal period, nothing paid inside it', () => {
    const history = [bought(monthsAgo(18), 'glasses')];
    expect(calculated(at([lens], { OPTI: withHistory('FR', history) }, false)).lines[0]?.rule).toBe('actual_cost');
    expect(calculated(at([lens], { OPTI: withHistory('FR', history, 36) }, false)).lines[0]).toMatchObject({ amcCents: 0, rule: 'renewal_period' });
  });

  it('never lets a contract renew sooner than the law, but lets it wait longer', () => {
    expect(renewalMonths('glasses', { responsable: true, contractMonths: 12, ageYears: 40 })).toBe(24);
    expect(renewalMonths('glasses', { responsable: true, contractMonths: 36, ageYears: 40 })).toBe(36);
    expect(renewalMonths('glasses', { responsable: true, contractMonths: 36, ageYears: 8 })).toBe(12);
    expect(renewalMonths('hearing_aid', { responsable: false, contractMonths: null, ageYears: 40 })).toBeUndefined();
  });

  it('never pays more on any invoice than the same invoice with no equipment in the past', () => {
    const past = fc.array(fc.record({
      months: fc.integer({ min: 0, max: 60 }),
      equipment: fc.constantFrom<CeilingEntry['equipment']>('glasses', 'hearing_aid'),
      side: fc.constantFrom<Side | undefined>('right', 'left', undefined),
    }), { maxLength: 4 });
    fc.assert(
      fc.property(coverageRequest, past, fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }), (input, entries, age) => {
        // Zero amounts: the history moves no ceiling, so only the renewal rule can change a line.
        const history = entries.map((e): CeilingEntry => ({ careDate: addMonths(input.careDate, -e.months), amountCents: 0, kind: 'consumed', equipment: e.equipment, ...(e.side ? { side: e.side } : {}) }));
        const guarantees = Object.fromEntries(Object.entries(input.terms.guarantees).map(([d, g]) => [d, { ...g, history }]));
        const withPast = calculated({ ...input, terms: { ...input.terms, guarantees }, ...(age === undefined ? {} : { beneficiaryAgeYears: age }) });
        const without = calculated(input);
        expect(withPast.totals.amcCents).toBeLessThanOrEqual(without.totals.amcCents);
        withPast.lines.forEach((l, i) => {
          if (l.rule === 'renewal_period') expect(l.amcCents).toBeLessThanOrEqual(without.lines[i]?.amcCents ?? 0);
        });
      }),
    );
  });
});
