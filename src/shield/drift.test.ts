import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DaySummary } from './baseline.js';
import { accountDrift, platformDrift } from './drift.js';

/** Twenty-eight days of February before the day weighed, 2026-03-02. */
const DAY = '2026-03-02';

function history(patients: number, unfollowed: number): DaySummary[] {
  return Array.from({ length: 28 }, (_, i) => ({
    day: `2026-02-${String(i + 1).padStart(2, '0')}`,
    weekday: (i + 0) % 7,
    distinct: patients,
    misses: 1,
    unfollowed,
    offHours: 0,
  }));
}

function day(patients: number, unfollowed: number): DaySummary {
  return { day: DAY, weekday: 1, distinct: patients, misses: 1, unfollowed, offHours: 0 };
}

describe('the platform’s daily drift', () => {
  it('weighs an account’s day against its own share: its usual share is no drift, all of its checks uncalculated is', () => {
    expect(Math.abs(accountDrift(day(30, 6), history(30, 6)).z)).toBeLessThan(0.01);
    expect(accountDrift(day(30, 30), history(30, 6)).z).toBeGreaterThan(5);
  });

  it('never lets a busier uncalculated day weigh less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 50 }), (patients, usual, unfollowed, more) => {
        const before = history(patients, Math.min(usual, patients));
        const today = Math.min(unfollowed, patients);
        expect(accountDrift(day(patients, Math.min(patients, today + more)), before).z).toBeGreaterThanOrEqual(accountDrift(day(patients, today), before).z);
      }),
    );
  });

  it('finds fifty stolen accounts among two thousand, each adding a quarter of its day uncalculated', () => {
    const clean = new Map<number, DaySummary[]>();
    const campaign = new Map<number, DaySummary[]>();
    for (let account = 0; account < 2000; account++) {
      // A third are pharmacies (150 patients, a tenth uncalculated), the rest physicians (25, a quarter).
      const [patients, usual] = account % 3 === 0 ? [150, 15] : [25, 6];
      const past = history(patients, usual);
      const unfollowed = usual + ((account % 5) - 2);
      clean.set(account, [...past, day(patients, unfollowed)]);
      const extra = Math.round(patients / 4);
      campaign.set(account, [...past, account < 50 ? day(patients + extra, unfollowed + extra) : day(patients, unfollowed)]);
    }
    const before = platformDrift(clean, DAY);
    const after = platformDrift(campaign, DAY);
    expect(before.accounts).toBe(2000);
    expect(Math.abs(before.score)).toBeLessThan(1);
    expect(after.score - before.score).toBeGreaterThan(4);
    // A stolen physician's day alone is within chance: only the sum tells.
    expect(accountDrift(day(31, 12), history(25, 6)).z).toBeLessThan(2);
    expect(after.drifting.length).toBeGreaterThan(0);
    expect(after.drifting.every((account) => account < 50)).toBe(true);
  });

  it('ignores accounts that did not work that day', () => {
    const histories = new Map([[1, history(30, 6)]]);
    expect(platformDrift(histories, DAY)).toEqual({ day: DAY, accounts: 0, score: 0, drifting: [] });
  });
});
