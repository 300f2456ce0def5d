import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../dates.js';
import { cents } from '../money.js';
import { calculateCoverage, type CoverageCalculation, type CoverageRequest, type InvoiceLine } from './calculate.js';
import { guarantee, line, request } from './test-support/invoices.js';

function calculated(input: CoverageRequest): CoverageCalculation {
  const result = calculateCoverage(input);
  if (!result.ok) throw new Error(result.error.reason);
  return result.value;
}

/** The parts of each line, in cents, in the order asked. */
function parts(input: CoverageRequest): { amo: number; amoPaid: number; amc: number; patient: number; rule: string }[] {
  return calculated(input).lines.map((l) => ({ amo: l.amoCents, amoPaid: l.amoPaidCents, amc: l.amcCents, patient: l.patientCents, rule: l.rule }));
}

describe('the worked examples of DOMAIN.md', () => {
  it('1. GP, sector 1, 30 €, AMO 70 %, 2 € PF: AMC 9 €, patient 2 €', () => {
    const gp = line({ actCode: 'G', domain: 'MED', price: 30, flatFee: 2 });
    expect(parts(request([gp], { MED: guarantee('100% BR') }))).toEqual([{ amo: 2100, amoPaid: 1900, amc: 900, patient: 200, rule: 'br_percent' }]);
  });

  it('2. OPTAM specialist, 70 € on a 30 € base, 200 % BR: AMC 39 €, patient 12 €', () => {
    const specialist = line({ actCode: 'CS', domain: 'MEDE', price: 70, base: 30, flatFee: 2, optam: true });
    expect(parts(request([specialist], { MEDE: guarantee('200% BR') }))).toEqual([{ amo: 2100, amoPaid: 1900, amc: 3900, patient: 1200, rule: 'br_percent' }]);
  });

  it('3. medicine at 65 %, 10 €: AMC 3,50 €, the 1 € franchise stays with the patient', () => {
    const box = line({ actCode: 'PHAR65', domain: 'PHAR', price: 10, amoRateBp: 6_500, deductible: 1 });
    expect(parts(request([box], { PHAR: guarantee('100% BR') }))).toEqual([{ amo: 650, amoPaid: 550, amc: 350, patient: 100, rule: 'br_percent' }]);
  });

  it('4. hospital, 3 days: the AMC pays the 60 € forfait journalier and the TM on the stay', () => {
    const days = line({ actCode: 'FJ', domain: 'HOSP', quantity: 3, price: 20, base: 0, amoRateBp: 0 });
    const stay = line({ actCode: 'GHS', domain: 'HOSP', price: 1_500, amoRateBp: 8_000 });
    const stayRequest = request([days, stay], { HOSP: guarantee('100% BR') });
    expect(parts(stayRequest)).toEqual([
      { amo: 0, amoPaid: 0, amc: 6_000, patient: 0, rule: 'hospital_daily_fee' },
      { amo: 120_000, amoPaid: 120_000, amc: 30_000, patient: 0, rule: 'br_percent' },
    ]);
    expect(calculated(stayRequest).totals).toEqual({ priceCents: 156_000, amoCents: 120_000, amoPaidCents: 120_000, amcCents: 36_000, patientCents: 0 });
    // Outside a contrat responsable the guarantee alone applies: 100 % of a zero base.
    expect(parts(request([days], { HOSP: guarantee('100% BR') }, false))[0]).toMatchObject({ amc: 0, patient: 6_000 });
  });
});

describe('contrat responsable', () => {
  const specialist = (optam: boolean, price = 70): InvoiceLine => line({ actCode: 'CS', domain: 'MEDE', price, base: 30, optam });

  it('covers the dépassement of a non-OPTAM physician up to 100 % of the base only', () => {
    const terms = { MEDE: guarantee('300% BR') };
    expect(parts(request([specialist(false)], terms))[0]).toMatchObject({ amc: 3_900, patient: 1_000, rule: 'optam_cap' });
    expect(parts(request([specialist(true)], terms))[0]).toMatchObject({ amc: 4_900, patient: 0, rule: 'br_percent' });
    // Adherence not said: not adherent, the side that pays less (it used to be paid as an adherent).
    const unsaid = line({ actCode: 'CS', domain: 'MEDE', price: 70, base: 30 });
    expect(parts(request([unsaid], terms))[0]).toMatchObject({ amc: 3_900, rule: 'optam_cap' });
    expect(parts(request([specialist(false)], terms, false))[0]).toMatchObject({ amc: 4_900, rule: 'br_percent' });
  });

  it('pays at least the ticket modérateur, whatever a weaker guarantee says', () => {
    const gp = line({ actCode: 'G', price: 30 });
    expect(parts(request([gp], { MED: guarantee('50% BR') }))[0]).toMatchObject({ amc: 900, rule: 'responsable_minimum' });
    expect(parts(request([gp], { MED: guarantee('50% BR') }, false))[0]).toMatchObject({ amc: 0, rule: 'br_percent' });
  });

  it('does not owe the ticket modérateur on 15 % and 30 % medicines nor spa cures', () => {
    const terms = { PHAR: guarantee('0 €'), CURE: guarantee('0 €') };
    const at15 = line({ domain: 'PHAR', price: 10, amoRateBp: 1_500 });
    const at30 = line({ domain: 'PHAR', price: 10, amoRateBp: 3_000 });
    const at65 = line({ domain: 'PHAR', price: 10, amoRateBp: 6_500 });
    const cure = line({ domain: 'CURE', price: 100, amoRateBp: 6_500 });
    expect(parts(request([at15, at30, at65, cure], terms)).map((p) => p.amc)).toEqual([0, 0, 350, 0]);
  });

  it('leaves nothing to pay on a 100 % Santé line within the price limit, and caps it above', () => {
    const crown = (price: number): InvoiceLine => line({ domain: 'DENT', price, base: 120, hundredPercentSante: true, priceLimit: 500 });
    const exhausted = { DENT: guarantee('100% BR', { ceiling: 1_500, consumed: 1_500 }) };
    expect(parts(request([crown(500), crown(550)], exhausted))).toEqual([
      { amo: 8_400, amoPaid: 8_400, amc: 41_600, patient: 0, rule: 'hundred_percent_sante' },
      { amo: 8_400, amoPaid: 8_400, amc: 41_600, patient: 5_000, rule: 'hundred_percent_sante' },
    ]);
    expect(calculated(request([crown(500)], exhausted)).ceilings[0]?.consumptionCents).toBe(0);
    expect(parts(request([crown(500)], exhausted, false))[0]).toMatchObject({ amc: 0, rule: 'ceiling_reached' });
  });

  it('caps what AMO and AMC pay together at a limit the line carries', () => {
    const glasses = line({ domain: 'OPTI', price: 600, base: 0.05, amoRateBp: 6_000, priceLimit: 420, device: { kind: 'other' } });
    expect(parts(request([glasses], { OPTI: guarantee('FR') }))[0]).toMatchObject({ amo: 3, amc: 41_997, rule: 'price_limit' });
    expect(parts(request([glasses], { OPTI: guarantee('FR') }, false))[0]).toMatchObject({ amc: 59_997, rule: 'actual_cost' });
  });

  it('gives the forfait journalier its own rule on hospital lines only', () => {
    const fj = line({ actCode: 'FJ', domain: 'MED', price: 20, base: 0, amoRateBp: 0 });
    expect(parts(request([fj], { MED: guarantee('TM') }))[0]).toMatchObject({ amc: 0, rule: 'copay' });
  });
});

describe('annual ceilings', () => {
  const crown = line({ actCode: 'HBLD036', domain: 'DENT', price: 600, base: 107.5 });
  const inlay = line({ actCode: 'HBMD351', domain: 'DENT', price: 300, base: 100 });
  const nearlySpent = { DENT: guarantee('300% BR', { ceiling: 1_500, consumed: 1_400 }) };

  it('serves lines in a canonical order, whatever the caller sent, and never beyond the ceiling', () => {
    const forward = parts(request([crown, inlay], nearlySpent, false));
    expect(forward).toMatchObject([{ amc: 10_000, rule: 'ceiling_reached' }, { amc: 0, rule: 'ceiling_reached' }]);
    expect(parts(request([inlay, crown], nearlySpent, false))).toEqual([forward[1], forward[0]]);
    expect(calculated(request([crown, inlay], nearlySpent, false)).ceilings).toEqual([
      { domain: 'DENT', ceilingCents: 150_000, consumedBeforeCents: 140_000, consumptionCents: 10_000 },
    ]);
  });

  it('limits only the cover above the ticket modérateur of a contrat responsable', () => {
    const result = calculated(request([crown, inlay], nearlySpent));
    expect(result.lines.map((l) => [l.amcCents, l.ceilingConsumedCents])).toEqual([[3_225 + 10_000, 10_000], [3_000, 0]]);
  });

  it('grants nothing above the floor when the counter already passed the ceiling', () => {
    const overspent = { DENT: guarantee('300% BR', { ceiling: 1_500, consumed: 1_600 }) };
    expect(parts(request([crown], overspent, false))[0]).toMatchObject({ amc: 0, rule: 'ceiling_reached' });
  });

  it('reports the rule of the guarantee when the ceiling is not reached', () => {
    const roomy = { DENT: guarantee('300% BR', { ceiling: 1_500, consumed: 0 }) };
    expect(calculated(request([crown], roomy, false)).lines[0]).toMatchObject({ amcCents: 24_725, ceilingConsumedCents: 24_725, rule: 'br_percent' });
  });
});

describe('guarantees and rounding', () => {
  it('pays a forfait per unit', () => {
    const lenses = line({ domain: 'OPTI', quantity: 2, price: 150, base: 0, amoRateBp: 0, device: { kind: 'lens', complexity: 'simple' } });
    expect(parts(request([lenses], { OPTI: guarantee('100 €') }, false))[0]).toMatchObject({ amc: 20_000, patient: 10_000, rule: 'flat' });
  });

  it('reads % PMSS with the PMSS of the year of care, or the one given', () => {
    const cure = line({ domain: 'CURE', price: 500, base: 0, amoRateBp: 0 });
    const terms = { CURE: guarantee('10% PMSS') };
    const on = (careDate: string, pmss?: number): number | string => {
      const result = calculateCoverage({ ...request([cure], terms), careDate: careDate as CalendarDate, ...(pmss ? { pmssCents: cents(pmss) } : {}) });
      return result.ok ? (result.value.lines[0]?.amcCents ?? -1) : result.error.code;
    };
    expect([on('2025-03-01'), on('2026-03-01'), on('2025-03-01', 100_000), on('2031-03-01')]).toEqual([39_250, 40_050, 10_000, 'FIELD_MISSING']);
    expect(calculateCoverage({ ...request([line({ price: 30 })], { MED: guarantee('TM') }), careDate: '2031-03-01' as CalendarDate }).ok).toBe(true);
  });

  it('rounds each rate half-up, once, on the line total', () => {
    const tiny = (quantity: number, base: number, amoRateBp: number): number => parts(request([line({ quantity, price: base, amoRateBp })], {}))[0]?.amo ?? -1;
    expect([tiny(1, 0.05, 7_000), tiny(3, 0.05, 7_000), tiny(1, 10.01, 6_500), tiny(1, 10.03, 6_500)]).toEqual([4, 11, 651, 652]);
    const half = line({ domain: 'MEDE', price: 0.05, amoRateBp: 0 });
    expect(parts(request([half], { MEDE: guarantee('50% BR') }, false))[0]?.amc).toBe(3);
  });

  it('reimburses on the price when it is below the base', () => {
    const cheap = line({ price: 20, base: 30 });
    expect(parts(request([cheap], { MED: guarantee('100% BR') }))[0]).toMatchObject({ amo: 1_400, amc: 600, patient: 0 });
  });

  it('leaves the flat fee the AMO cannot withhold to the patient, not to the AMC', () => {
    const small = line({ price: 1, flatFee: 2 });
    expect(parts(request([small], { MED: guarantee('FR') }))[0]).toEqual({ amo: 70, amoPaid: 0, amc: 30, patient: 70, rule: 'actual_cost' });
  });

  it('pays nothing on a domain the contract does not cover', () => {
    const frame = line({ domain: 'OPTI', price: 300, base: 0.05, amoRateBp: 6_000, device: { kind: 'frame' } });
    expect(parts(request([frame], { MED: guarantee('FR') }))[0]).toEqual({ amo: 3, amoPaid: 3, amc: 0, patient: 29_997, rule: 'not_covered' });
  });
});

describe('invalid input', () => {
  const valid = line({ price: 30 });
  it.each<[string, Partial<InvoiceLine> | undefined, string]>([
    ['a negative price', { unitPriceCents: cents(-1) }, 'FIELD_INVALID'],
    ['a fraction of a cent', { unitBaseCents: 0.5 as never }, 'FIELD_INVALID'],
    ['a quantity of 0', { quantity: 0 }, 'FIELD_INVALID'],
    ['an absurd base', { unitBaseCents: cents(100_000_001) }, 'FIELD_INVALID'],
    ['a rate above 100 %', { amoRateBp: 10_001 }, 'FIELD_INVALID'],
    ['a negative franchise', { deductibleCents: cents(-100) }, 'FIELD_INVALID'],
    ['an unknown domain', { domain: 'XXXX' as never }, 'CARE_DOMAIN_UNKNOWN'],
    ['an empty act code', { actCode: ' ' }, 'FIELD_MISSING'],
    ['a 100 % Santé line without its limit', { hundredPercentSante: true }, 'FIELD_MISSING'],
    ['no line at all', undefined, 'FIELD_MISSING'],
  ])('refuses %s, naming the line in French', (_name, change, code) => {
    const lines = change ? [valid, { ...valid, ...change }] : [];
    const result = calculateCoverage(request(lines, { MED: guarantee('TM') }));
    expect(result.ok ? 'ok' : result.error.code).toBe(code);
    if (!result.ok && change) expect(result.error.reason).toMatch(/^Ligne 2 : /);
  });

  it('refuses a guarantee it cannot read, such as the catalogue\'s "none"', () => {
    const none = { expression: { ...guarantee('TM').expression, basis: 'none' as never }, annualCeilingCents: null, consumedCents: cents(0) };
    const result = calculateCoverage(request([valid], { MED: none }));
    expect(result.ok ? 'ok' : result.error.reason).toContain('un domaine non couvert est absent');
    const negative = calculateCoverage(request([valid], { MED: { ...guarantee('TM'), consumedCents: cents(-1) } }));
    expect(negative.ok ? 'ok' : negative.error.code).toBe('FIELD_INVALID');
  });
});
