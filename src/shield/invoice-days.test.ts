import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';
import { invoiceDelays } from './config.js';
import { dueDays, LEARNED_DAYS, uninvoicedAccountDays, type EngagementTally } from './invoice-days.js';
import { profileOf } from './profile.js';

const DAY = today();
const PHARMACIST = '21';

/** Engagements of account 1 at a pharmacy, made `daysAgo` before today. */
function tally(daysAgo: number, engagements: number, invoicedAfter: number | null, siteKind = 'officine', professionCode = PHARMACIST): EngagementTally {
  return { professionalId: 1, professionCode, siteKind, day: addDays(DAY, -daysAgo), invoicedAfter, engagements };
}

const tallies = fc.array(
  fc.record({
    professionalId: fc.integer({ min: 1, max: 3 }),
    professionCode: fc.constantFrom('10', '21', '26', '28', '40', '60', '99'),
    siteKind: fc.constantFrom('officine', 'cabinet', 'etablissement', 'laboratoire'),
    day: fc.integer({ min: 0, max: 90 }).map((back) => addDays(DAY, -back)),
    invoicedAfter: fc.option(fc.integer({ min: 0, max: 90 })),
    engagements: fc.integer({ min: 1, max: 50 }),
  }),
  { maxLength: 40 },
);

describe('engagements fall due after their profession’s delay', () => {
  it('a pharmacy’s check is due two days later: invoiced in time, late or never', () => {
    const delay = invoiceDelays.pharmacy;
    const due = dueDays([tally(delay, 10, 0), tally(delay, 3, delay), tally(delay, 2, delay + 1), tally(delay, 4, null)]);
    expect(due.get(1)?.get(DAY)).toEqual({ due: 19, uninvoiced: 6 });
  });

  it('a pharmacist at a hospital waits for the discharge, as the hospital does', () => {
    const due = dueDays([tally(invoiceDelays.pharmacy, 5, null, 'etablissement')]);
    expect(due.get(1)?.get(DAY)).toBeUndefined();
    expect(due.get(1)?.get(addDays(DAY, invoiceDelays.hospital - invoiceDelays.pharmacy))).toEqual({ due: 5, uninvoiced: 5 });
  });

  it('counts every engagement once, uninvoiced exactly when no invoice came within its delay', () => {
    fc.assert(
      fc.property(tallies, (made) => {
        const days = [...dueDays(made).values()].flatMap((d) => [...d.values()]);
        const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
        const late = made.filter((m) => m.invoicedAfter === null || m.invoicedAfter > invoiceDelays[profileOf({ ...m, specialty: null })]);
        expect(sum(days.map((d) => d.due))).toBe(sum(made.map((m) => m.engagements)));
        expect(sum(days.map((d) => d.uninvoiced))).toBe(sum(late.map((m) => m.engagements)));
        for (const d of days) expect(d.uninvoiced).toBeLessThanOrEqual(d.due);
      }),
    );
  });
});

describe('an account’s uninvoiced day against its own usual', () => {
  it('learns the usual share from the four weeks before the day, never from the day itself', () => {
    const delay = invoiceDelays.pharmacy;
    // Thirty days of 20 engagements, 2 never invoiced; then a day with all 20 left.
    const made = Array.from({ length: 30 }, (_, back) => tally(delay + 1 + back, 20, null)).flatMap((t) => [{ ...t, engagements: 2 }, { ...t, engagements: 18, invoicedAfter: 0 }]);
    const days = uninvoicedAccountDays(dueDays([...made, tally(delay, 20, null)]), DAY);
    expect(days).toEqual([{ account: 1, distinct: 20, unfollowed: 20, usualShare: 0.1, learnedDays: LEARNED_DAYS }]);
  });

  it('whatever the day holds, its usual share and learned days are those of the days before', () => {
    fc.assert(
      fc.property(tallies, fc.integer({ min: 1, max: 50 }), (made, extra) => {
        const on = addDays(DAY, -10);
        const before = uninvoicedAccountDays(dueDays(made), on);
        // More engagements falling due that very day, none invoiced.
        const added = [1, 2, 3].map((professionalId) => ({ professionalId, professionCode: PHARMACIST, siteKind: 'officine', day: addDays(on, -invoiceDelays.pharmacy), invoicedAfter: null, engagements: extra }));
        const after = uninvoicedAccountDays(dueDays([...made, ...added]), on);
        for (const day of before) {
          const same = after.find((d) => d.account === day.account);
          expect(same).toMatchObject({ usualShare: day.usualShare, learnedDays: day.learnedDays, distinct: day.distinct + extra, unfollowed: day.unfollowed + extra });
        }
      }),
    );
  });
});
