import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays, addMonths, type CalendarDate } from '../dates.js';
import { lastEquipmentBefore, usedInPeriod, type CeilingEntry, type CeilingPeriod } from './ceiling-period.js';

const careDate = today();
const monthsAgo = (months: number, days = 0): CalendarDate => addDays(addMonths(careDate, -months), days);

const entry: fc.Arbitrary<CeilingEntry> = fc.record({
  careDate: fc.integer({ min: -2_000, max: 30 }).map((days) => addDays(careDate, days)),
  amountCents: fc.integer({ min: 0, max: 100_000 }),
  kind: fc.constantFrom<CeilingEntry['kind']>('reserved', 'consumed', 'released'),
  side: fc.constantFrom<CeilingEntry['side']>('right', 'left', undefined),
  equipment: fc.constantFrom<CeilingEntry['equipment']>('glasses', 'hearing_aid', undefined),
}, { requiredKeys: ['careDate', 'amountCents', 'kind'] });
const period: fc.Arbitrary<CeilingPeriod> = fc.oneof(
  fc.constant<CeilingPeriod>({ kind: 'calendar_year' }),
  fc.integer({ min: 1, max: 120 }).map((months): CeilingPeriod => ({ kind: 'rolling', months })),
);

describe('what a ceiling has already used in its period', () => {
  it('counts a rolling period from the day of care back N months: 20 months ago is inside 24, 25 months ago is not', () => {
    const used = (at: CalendarDate): number => usedInPeriod([{ careDate: at, amountCents: 15_000, kind: 'consumed' }], careDate, { kind: 'rolling', months: 24 });
    expect(used(monthsAgo(20))).toBe(15_000);
    expect(used(monthsAgo(25))).toBe(0);
    expect(used(monthsAgo(24, 1))).toBe(15_000);
    expect(used(monthsAgo(24))).toBe(0);
    expect(used(addDays(careDate, 1))).toBe(0);
  });

  it('counts the calendar year of the day of care, whatever the day in it', () => {
    const firstDay = `${careDate.slice(0, 4)}-01-01` as CalendarDate;
    const entries: CeilingEntry[] = [
      { careDate: firstDay, amountCents: 100, kind: 'consumed' },
      { careDate: addDays(firstDay, -1), amountCents: 1_000, kind: 'consumed' },
      { careDate: addDays(firstDay, 364), amountCents: 10, kind: 'reserved' },
    ];
    expect(usedInPeriod(entries, careDate, { kind: 'calendar_year' })).toBe(110);
  });

  it('nets releases against reservations and consumptions, never below nothing', () => {
    const day = monthsAgo(1);
    expect(usedInPeriod([
      { careDate: day, amountCents: 300, kind: 'reserved' },
      { careDate: day, amountCents: 300, kind: 'released' },
      { careDate: day, amountCents: 250, kind: 'consumed' },
    ], careDate, { kind: 'rolling', months: 12 })).toBe(250);
    expect(usedInPeriod([{ careDate: day, amountCents: 300, kind: 'released' }], careDate, { kind: 'rolling', months: 12 })).toBe(0);
  });

  it('is never negative, and does not depend on the order of the entries', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), period, fc.nat(), (entries, p, seed) => {
        const used = usedInPeriod(entries, careDate, p);
        expect(used).toBeGreaterThanOrEqual(0);
        const shuffled = [...entries].sort((a, b) => ((a.amountCents * 31 + seed) % 97) - ((b.amountCents * 31 + seed) % 97));
        expect(usedInPeriod(shuffled, careDate, p)).toBe(used);
        expect(usedInPeriod([...entries].reverse(), careDate, p)).toBe(used);
      }),
    );
  });

  it('uses no less over a longer rolling window when nothing is released', () => {
    const spending = entry.map((e): CeilingEntry => ({ ...e, kind: e.kind === 'released' ? 'consumed' : e.kind }));
    fc.assert(
      fc.property(fc.array(spending, { maxLength: 30 }), fc.integer({ min: 1, max: 119 }), fc.integer({ min: 1, max: 60 }), (entries, n, more) => {
        const shorter = usedInPeriod(entries, careDate, { kind: 'rolling', months: n });
        expect(usedInPeriod(entries, careDate, { kind: 'rolling', months: Math.min(120, n + more) })).toBeGreaterThanOrEqual(shorter);
      }),
    );
  });
});

describe('the last equipment before the day of care', () => {
  it('finds the latest one of the kind and the side, not a cancelled one nor one of the same day', () => {
    const [older, cancelled] = [monthsAgo(30), monthsAgo(3)];
    const entries: CeilingEntry[] = [
      { careDate: older, amountCents: 0, kind: 'consumed', equipment: 'hearing_aid', side: 'right' },
      { careDate: monthsAgo(6), amountCents: 50_000, kind: 'consumed', equipment: 'hearing_aid', side: 'left' },
      { careDate: cancelled, amountCents: 50_000, kind: 'reserved', equipment: 'hearing_aid', side: 'right' },
      { careDate: cancelled, amountCents: 50_000, kind: 'released', equipment: 'hearing_aid', side: 'right' },
      { careDate: careDate, amountCents: 50_000, kind: 'reserved', equipment: 'hearing_aid', side: 'right' },
      { careDate: monthsAgo(1), amountCents: 10_000, kind: 'consumed', equipment: 'glasses' },
    ];
    expect(lastEquipmentBefore(entries, careDate, 'hearing_aid', 'right')).toBe(older);
    expect(lastEquipmentBefore(entries, careDate, 'hearing_aid', 'left')).toBe(monthsAgo(6));
    expect(lastEquipmentBefore(entries, careDate, 'hearing_aid', undefined)).toBe(monthsAgo(6));
    expect(lastEquipmentBefore(entries, careDate, 'glasses', undefined)).toBe(monthsAgo(1));
    expect(lastEquipmentBefore(entries.slice(0, 1), monthsAgo(31), 'hearing_aid', 'right')).toBeUndefined();
  });
});
