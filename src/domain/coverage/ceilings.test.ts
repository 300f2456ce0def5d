import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addMonths, type CalendarDate } from '../dates.js';
import { calculateCoverage, type CoverageCalculation, type CoverageRequest, type DomainGuarantee, type InvoiceLine } from './calculate.js';
import type { CeilingEntry, Side } from './ceiling-period.js';
import { guarantee, line } from './test-support/invoices.js';

const careDate = today();
const used = (months: number, amountCents: number, side?: Side): CeilingEntry => ({ careDate: addMonths(careDate, -months), amountCents, kind: 'consumed', ...(side ? { side } : {}) });
/** A contact lens of the eye: "other" has no legal cap nor renewal, so only the ceiling limits it. */
const contact = (side?: Side): InvoiceLine => line({ actCode: 'LC', domain: 'OPTI', price: 150, base: 0, amoRateBp: 0, device: { kind: 'other' }, ...(side ? { side } : {}) });

function calculated(lines: InvoiceLine[], opti: DomainGuarantee): CoverageCalculation {
  const request: CoverageRequest = { careDate, lines, terms: { responsable: true, guarantees: { OPTI: opti } } };
  const result = calculateCoverage(request);
  if (!result.ok) throw new Error(result.error.reason);
  return result.value;
}

describe('ceilings over their period, per beneficiary or per side', () => {
  const rolling = (history: CeilingEntry[], extra: Partial<DomainGuarantee> = {}): DomainGuarantee =>
    ({ ...guarantee('FR', { ceiling: 200, consumed: 0 }), ceilingPeriod: { kind: 'rolling', months: 24 }, history, ...extra });

  it('lowers a rolling 24-month ceiling by what was used 20 months ago, not 25 months ago', () => {
    expect(calculated([contact()], rolling([used(20, 12_000)])).lines[0]).toMatchObject({ amcCents: 8_000, rule: 'ceiling_reached' });
    expect(calculated([contact()], rolling([used(25, 12_000)])).lines[0]).toMatchObject({ amcCents: 15_000, rule: 'actual_cost' });
  });

  it('keeps the calendar year when the guarantee says no period, the counter and the entries adding up', () => {
    const january = `${careDate.slice(0, 4)}-01-01` as CalendarDate;
    const lastYear: CeilingEntry = { careDate: addMonths(january, -1), amountCents: 20_000, kind: 'consumed' };
    const thisYear: CeilingEntry = { careDate: january, amountCents: 5_000, kind: 'consumed' };
    const g = { ...guarantee('FR', { ceiling: 200, consumed: 100 }), history: [lastYear, thisYear] };
    expect(calculated([contact()], g)).toMatchObject({ lines: [{ amcCents: 5_000 }], ceilings: [{ consumedBeforeCents: 15_000, consumptionCents: 5_000 }] });
  });

  it('gives each eye its own ceiling, lines without a side a pot of their own', () => {
    const g = rolling([used(3, 18_000, 'right')], { ceilingScope: 'eye' });
    const result = calculated([contact('right'), contact('left'), contact()], g);
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
