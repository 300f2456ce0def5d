import { describe, expect, it } from 'vitest';
import { calculateCoverage, type CoverageRequest } from './calculate.js';
import { guarantee, line, request, withFamilies } from './test-support/invoices.js';

function lines(input: CoverageRequest): { amc: number; rule: string }[] {
  const result = calculateCoverage(input);
  if (!result.ok) throw new Error(result.error.reason);
  return result.value.lines.map((l) => ({ amc: l.amcCents, rule: l.rule }));
}

const medicine = (amoRateBp: number): ReturnType<typeof line> => line({ actCode: 'PH', domain: 'PHAR', price: 10, amoRateBp });

describe('guarantees per act family inside a care domain', () => {
  it('says "medicines at 15 % not covered" while the domain pays 100 % BR', () => {
    const pharmacy = { PHAR: withFamilies(guarantee('100% BR'), { PHAR15: 'non couvert' }) };
    expect(lines(request([medicine(1_500), medicine(3_000), medicine(6_500)], pharmacy))).toEqual([
      { amc: 0, rule: 'not_covered' },
      { amc: 700, rule: 'br_percent' },
      { amc: 350, rule: 'br_percent' },
    ]);
  });

  it('still pays the ticket modérateur a contrat responsable owes on a family said not covered', () => {
    const pharmacy = { PHAR: withFamilies(guarantee('100% BR'), { PHAR65: 'non couvert' }) };
    expect(lines(request([medicine(6_500)], pharmacy))).toEqual([{ amc: 350, rule: 'responsable_minimum' }]);
    expect(lines(request([medicine(6_500)], pharmacy, false))).toEqual([{ amc: 0, rule: 'not_covered' }]);
  });

  it('gives frames and lenses their own guarantees, the domain\'s for the rest', () => {
    const optics = { OPTI: withFamilies(guarantee('FR'), { MONTURE: '50 €', VERRE_COMPLEXE: '150 €' }) };
    const frame = line({ actCode: 'M', domain: 'OPTI', price: 80, base: 0.05, amoRateBp: 6_000, device: { kind: 'frame' } });
    const lens = line({ actCode: 'V', domain: 'OPTI', price: 200, base: 0.05, amoRateBp: 6_000, device: { kind: 'lens', complexity: 'complex' } });
    const contactLenses = line({ actCode: 'L', domain: 'OPTI', price: 40, base: 0, amoRateBp: 0, device: { kind: 'other' } });
    expect(lines(request([frame, lens, contactLenses], optics))).toEqual([
      { amc: 4_997, rule: 'flat' },
      { amc: 14_997, rule: 'flat' },
      { amc: 4_000, rule: 'actual_cost' },
    ]);
  });

  it('refuses a family that is not of the guarantee\'s domain', () => {
    const wrong = calculateCoverage(request([medicine(6_500)], { PHAR: withFamilies(guarantee('TM'), { MONTURE: '50 €' }) }));
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('FIELD_INVALID');
  });
});
