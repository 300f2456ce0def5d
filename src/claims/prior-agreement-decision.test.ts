import { describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import type { CoverageRequest, DomainGuarantee, InvoiceLine } from '../domain/coverage/calculate.js';
import type { CeilingEntry } from '../domain/coverage/ceiling-period.js';
import { calculated, guarantee, line } from '../domain/coverage/test-support/invoices.js';
import { addDays, addMonths } from '../domain/dates.js';
import { decide } from './prior-agreement-decision.js';

const careDate = today();
/** A contact lens at 150 €, no AMO: only the ceiling limits it. */
const contactLens = line({ domain: 'OPTI', price: 150, base: 0, amoRateBp: 0, device: { kind: 'other' } });
const lens = (side: 'right' | 'left'): InvoiceLine => line({ domain: 'OPTI', price: 50, base: 0, amoRateBp: 0, device: { kind: 'lens', complexity: 'simple' }, side });
const frame = line({ domain: 'OPTI', price: 60, base: 0, amoRateBp: 0, device: { kind: 'frame' } });
const agreed = (day: string): CeilingEntry => ({ careDate: day as CeilingEntry['careDate'], amountCents: 0, kind: 'reserved', equipment: 'glasses' });

function optics(lines: InvoiceLine[], terms: Partial<DomainGuarantee> = {}): ReturnType<typeof decide> {
  const request: CoverageRequest = { careDate, lines, terms: { responsable: true, guarantees: { OPTI: { ...guarantee('FR'), renewalMonths: 24, ...terms } } } };
  return decide(request, calculated(request));
}

describe('a prior agreement’s decision from its quote’s calculation', () => {
  it('grants in full what the guarantee pays, and reserves what counts on the ceiling', () => {
    const decision = optics([contactLens], { annualCeilingCents: 40_000 as DomainGuarantee['annualCeilingCents'] });
    expect(decision).toMatchObject({ status: 'granted', grantedCents: 15_000, requestedCents: 15_000 });
    expect(decision.lines[0]?.reservation).toEqual({ amountCents: 15_000, side: null, equipment: null });
  });

  it('is partial when a ceiling cuts a line, refused when nothing is left, and reserves nothing refused', () => {
    const cut = optics([contactLens, contactLens], { annualCeilingCents: 20_000 as DomainGuarantee['annualCeilingCents'] });
    expect(cut).toMatchObject({ status: 'partial', grantedCents: 20_000 });
    expect(cut.lines.map((l) => l.reservation?.amountCents)).toEqual([15_000, 5_000]);
    const spent = optics([contactLens], { annualCeilingCents: 20_000 as DomainGuarantee['annualCeilingCents'], history: [{ careDate, amountCents: 20_000, kind: 'reserved' }] });
    expect(spent).toMatchObject({ status: 'refused', grantedCents: 0 });
    expect(spent.lines[0]?.reservation).toBeNull();
  });

  it('marks each line of a pair of glasses with its equipment and side, even with no ceiling to hold', () => {
    const decision = optics([frame, lens('right'), lens('left')]);
    expect(decision.status).toBe('granted');
    expect(decision.lines.map((l) => l.reservation)).toEqual([
      { amountCents: 0, side: null, equipment: 'glasses' },
      { amountCents: 0, side: 'D', equipment: 'glasses' },
      { amountCents: 0, side: 'G', equipment: 'glasses' },
    ]);
  });

  it('refuses glasses agreed earlier in the renewal period or on the same day, not glasses agreed and released', () => {
    for (const day of [addMonths(careDate, -3), careDate]) {
      const decision = optics([frame, lens('right')], { history: [agreed(day)] });
      expect(decision, day).toMatchObject({ status: 'refused', grantedCents: 0 });
      expect(decision.lines.map((l) => [l.rule, l.reservation])).toEqual([['renewal_period', null], ['renewal_period', null]]);
    }
    const released: CeilingEntry = { ...agreed(careDate), kind: 'released' };
    expect(optics([frame], { history: [agreed(careDate), released] }).status).toBe('granted');
    expect(optics([frame], { history: [agreed(addDays(careDate, 1))] }).status).toBe('granted');
  });
});
