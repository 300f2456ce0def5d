import { describe, expect, it } from 'vitest';
import { calculateCoverage, type CoverageCalculation, type CoverageRequest, type InvoiceLine, type LensComplexity } from './calculate.js';
import { guarantee, line, request } from './test-support/invoices.js';

function calculated(input: CoverageRequest): CoverageCalculation {
  const result = calculateCoverage(input);
  if (!result.ok) throw new Error(result.error.reason);
  return result.value;
}

const amcOf = (input: CoverageRequest): number[] => calculated(input).lines.map((l) => l.amcCents);
const refusal = (input: CoverageRequest): string => {
  const result = calculateCoverage(input);
  return result.ok ? 'ok' : result.error.code;
};

describe('art. R871-2 CSS: a physician outside OPTAM', () => {
  const specialist = (price: number, optam?: boolean): InvoiceLine => line({ actCode: 'CS', domain: 'MEDE', price, base: 30, ...(optam === undefined ? {} : { optam }) });

  it('covers the dépassement at most the adherent cover minus 20 % of the base: 200 % BR, 80 € on 30 €, AMC 33 € instead of 39 €', () => {
    const terms = { MEDE: guarantee('200% BR') };
    expect(calculated(request([specialist(80, false)], terms)).lines[0]).toMatchObject({ amoCents: 2_100, amcCents: 3_300, patientCents: 2_600, rule: 'optam_cap' });
    expect(amcOf(request([specialist(80, true)], terms))).toEqual([3_900]);
  });

  it('covers the dépassement at most 100 % of the base, however rich the guarantee', () => {
    expect(calculated(request([specialist(200, false)], { MEDE: guarantee('400% BR') })).lines[0]).toMatchObject({ amcCents: 3_900, rule: 'optam_cap' });
    expect(amcOf(request([specialist(200, true)], { MEDE: guarantee('400% BR') }))).toEqual([9_900]);
  });

  it('treats a physician whose adherence is not said as not adherent, GP or specialist', () => {
    const gp = line({ actCode: 'G', domain: 'MED', price: 80, base: 30 });
    expect(amcOf(request([specialist(80), gp], { MEDE: guarantee('200% BR'), MED: guarantee('200% BR') }))).toEqual([3_300, 3_300]);
  });

  it('takes a radiologist\'s unsaid adherence as not adherent too, and a hospital fee only when said', () => {
    const radiology = line({ actCode: 'ZBQK002', domain: 'RADL', price: 80, base: 30 });
    expect(amcOf(request([radiology], { RADL: guarantee('200% BR') }))).toEqual([3_300]);
    const surgeon = (optam?: boolean): InvoiceLine => line({ actCode: 'QZFA001', domain: 'HOSP', price: 80, base: 30, ...(optam === undefined ? {} : { optam }) });
    expect(amcOf(request([surgeon(false), surgeon(true)], { HOSP: guarantee('200% BR') }))).toEqual([3_300, 3_900]);
  });

  it('refuses a hospital dépassement that does not say OPTAM, and OPTAM on a line no physician bills', () => {
    const surgeon = line({ actCode: 'QZFA001', domain: 'HOSP', price: 80, base: 30 });
    expect(refusal(request([surgeon], { HOSP: guarantee('200% BR') }))).toBe('FIELD_MISSING');
    const room = line({ actCode: 'CP', domain: 'HOSP', price: 80, base: 0, amoRateBp: 0 });
    expect(amcOf(request([room], { HOSP: guarantee('FR') }))).toEqual([8_000]);
    expect(refusal(request([line({ domain: 'PHAR', price: 10, optam: false })], { PHAR: guarantee('TM') }))).toBe('FIELD_INVALID');
  });

  it('still pays the full ticket modérateur when the guarantee covers no dépassement', () => {
    expect(amcOf(request([specialist(80, false)], { MEDE: guarantee('100% BR') }))).toEqual([900]);
  });

  it('applies only to a contrat responsable', () => {
    expect(amcOf(request([specialist(80, false)], { MEDE: guarantee('200% BR') }, false))).toEqual([3_900]);
  });
});

describe('art. R871-2 CSS: class B glasses', () => {
  // Adult class B items: a 0,05 € base at 60 %, so 3 cents of AMO each.
  const frame = (price: number): InvoiceLine => line({ actCode: 'MONTURE', domain: 'OPTI', price, base: 0.05, amoRateBp: 6_000, device: { kind: 'frame' } });
  const lens = (price: number, complexity: LensComplexity = 'simple', quantity = 1): InvoiceLine =>
    line({ actCode: `VERRE-${complexity}`, domain: 'OPTI', quantity, price, base: 0.05, amoRateBp: 6_000, device: { kind: 'lens', complexity } });
  const full = { OPTI: guarantee('FR') };

  it('pays a frame at most 100 €, AMO included', () => {
    const result = calculated(request([frame(150), lens(100, 'simple', 2)], full));
    expect(result.lines[0]).toMatchObject({ amcCents: 9_997, patientCents: 5_000, rule: 'optical_frame_cap' });
    expect(result.lines[1]).toMatchObject({ amcCents: 19_994, rule: 'actual_cost' });
  });

  it('keeps a pair of two simple lenses and its frame within 420 €, AMO included', () => {
    const result = calculated(request([lens(200), frame(150), lens(200)], full));
    expect(result.totals.amoCents + result.totals.amcCents).toBe(42_000);
    expect(result.totals.patientCents).toBe(55_000 - 42_000);
    expect(result.lines.some((l) => l.rule === 'optical_equipment_cap')).toBe(true);
  });

  it.each<[LensComplexity, LensComplexity | undefined, number]>([
    ['simple', 'complex', 56_000],
    ['simple', 'very_complex', 61_000],
    ['complex', 'complex', 70_000],
    ['very_complex', 'complex', 75_000],
    ['very_complex', 'very_complex', 80_000],
    // One lens only: the other counts as simple, the side that pays less.
    ['complex', undefined, 56_000],
  ])('caps a pair of %s and %s lenses at %i cents', (first, second, cap) => {
    const lines = [frame(100), lens(500, first), ...(second ? [lens(500, second)] : [])];
    const result = calculated(request(lines, full));
    expect(result.totals.amoCents + result.totals.amcCents).toBe(cap);
  });

  it('pays what the guarantee says when it is below the caps', () => {
    expect(amcOf(request([frame(80), lens(100)], { OPTI: guarantee('60 €') }))).toEqual([5_997, 5_997]);
  });

  it('applies only to a contrat responsable', () => {
    const result = calculated(request([frame(150), lens(200), lens(200)], full, false));
    expect(result.totals.amcCents).toBe(55_000 - 9);
  });

  it('pays class A (100 % Santé) in full within the price limit, whatever the guarantee', () => {
    const classA = line({ domain: 'OPTI', price: 60, base: 36, amoRateBp: 6_000, hundredPercentSante: true, priceLimit: 60 });
    expect(calculated(request([classA], { OPTI: guarantee('0 €') })).lines[0]).toMatchObject({ amcCents: 3_840, patientCents: 0, rule: 'hundred_percent_sante' });
  });

  it('refuses an optical line that does not say what it sells, and a second pair on one invoice', () => {
    const unsaid = line({ domain: 'OPTI', price: 300, base: 0.05, amoRateBp: 6_000 });
    expect(refusal(request([unsaid], full))).toBe('FIELD_MISSING');
    expect(refusal(request([frame(100), frame(100)], full))).toBe('OPTICAL_EQUIPMENT_INVALID');
    expect(refusal(request([lens(100, 'simple', 3)], full))).toBe('OPTICAL_EQUIPMENT_INVALID');
    expect(refusal(request([line({ domain: 'DENT', price: 100, device: { kind: 'frame' } })], full))).toBe('FIELD_INVALID');
  });
});

describe('art. R871-2 CSS: hearing aids', () => {
  const aid = (quantity: number): InvoiceLine => line({ domain: 'AUDI', quantity, price: 2_000, base: 400, amoRateBp: 6_000, device: { kind: 'hearing_aid' } });

  it('pays a class II aid at most 1 700 € per ear, AMO included', () => {
    expect(calculated(request([aid(1)], { AUDI: guarantee('FR') })).lines[0]).toMatchObject({ amoCents: 24_000, amcCents: 146_000, patientCents: 30_000, rule: 'hearing_aid_cap' });
    expect(amcOf(request([aid(2)], { AUDI: guarantee('FR') }))).toEqual([2 * 146_000]);
    expect(amcOf(request([aid(1)], { AUDI: guarantee('FR') }, false))).toEqual([176_000]);
  });

  it('pays a class I aid (100 % Santé) in full within the price limit', () => {
    const classOne = line({ domain: 'AUDI', price: 950, base: 400, amoRateBp: 6_000, hundredPercentSante: true, priceLimit: 950 });
    expect(calculated(request([classOne], { AUDI: guarantee('0 €') })).lines[0]).toMatchObject({ amcCents: 71_000, patientCents: 0, rule: 'hundred_percent_sante' });
  });

  it('refuses a hearing aid billed outside AUDI and an AUDI line that does not say what it sells', () => {
    expect(refusal(request([line({ domain: 'OPTI', price: 100, device: { kind: 'hearing_aid' } })], { OPTI: guarantee('FR') }))).toBe('FIELD_INVALID');
    expect(refusal(request([line({ domain: 'AUDI', price: 100 })], { AUDI: guarantee('FR') }))).toBe('FIELD_MISSING');
  });
});
