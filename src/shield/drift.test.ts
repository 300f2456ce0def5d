import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import { LEARNING_DAYS } from './baseline.js';
import { accountDrift, platformDrift, type AccountDay } from './drift.js';

const DAY = today();

describe('the platform’s daily drift', () => {
  it('weighs an account’s day against its own share: its usual share is no drift, all of its checks uncalculated is', () => {
    expect(Math.abs(accountDrift({ distinct: 30, unfollowed: 6, usualShare: 0.2 }).z)).toBeLessThan(0.01);
    expect(accountDrift({ distinct: 30, unfollowed: 30, usualShare: 0.2 }).z).toBeGreaterThan(5);
  });

  it('never lets a busier uncalculated day weigh less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 50 }), (distinct, usualShare, unfollowed, more) => {
        const today = Math.min(unfollowed, distinct);
        expect(accountDrift({ distinct, unfollowed: Math.min(distinct, today + more), usualShare }).z).toBeGreaterThanOrEqual(accountDrift({ distinct, unfollowed: today, usualShare }).z);
      }),
    );
  });

  it('finds fifty stolen accounts among two thousand, each adding a quarter of its day uncalculated', () => {
    const clean: AccountDay[] = [];
    const campaign: AccountDay[] = [];
    for (let account = 0; account < 2000; account++) {
      // A third are pharmacies (150 patients, a tenth uncalculated), the rest physicians (25, a quarter).
      const [distinct, usualShare] = account % 3 === 0 ? [150, 0.1] : [25, 0.24];
      const unfollowed = Math.round(distinct * usualShare) + ((account % 5) - 2);
      clean.push({ account, distinct, unfollowed, usualShare, learnedDays: 28 });
      const extra = Math.round(distinct / 4);
      campaign.push(account < 50 ? { account, distinct: distinct + extra, unfollowed: unfollowed + extra, usualShare, learnedDays: 28 } : { account, distinct, unfollowed, usualShare, learnedDays: 28 });
    }
    const before = platformDrift(clean, DAY);
    const after = platformDrift(campaign, DAY);
    expect(before.accounts).toBe(2000);
    expect(Math.abs(before.score)).toBeLessThan(1);
    expect(after.score - before.score).toBeGreaterThan(4);
    // A stolen physician's day alone is within chance: only the sum tells.
    expect(accountDrift({ distinct: 31, unfollowed: 12, usualShare: 0.24 }).z).toBeLessThan(2);
    expect(after.drifting.length).toBeGreaterThan(0);
    expect(after.drifting.every((account) => account < 50)).toBe(true);
  });

  it('ignores accounts that checked nobody that day', () => {
    expect(platformDrift([{ account: 1, distinct: 0, unfollowed: 0, usualShare: 0.2, learnedDays: 28 }], DAY)).toEqual({ day: DAY, accounts: 0, score: 0, drifting: [] });
  });

  it('leaves out accounts whose usual is still the prior: a young access log says nothing of drift', () => {
    // Pharmacies a week old, each leaving a twentieth uncalculated while the prior assumes a fifth.
    const young = Array.from({ length: 500 }, (_, account) => ({ account, distinct: 150, unfollowed: 8, usualShare: 0.2, learnedDays: LEARNING_DAYS - 1 }));
    expect(platformDrift(young, DAY)).toEqual({ day: DAY, accounts: 0, score: 0, drifting: [] });
    const learned = young.map((day) => ({ ...day, learnedDays: LEARNING_DAYS }));
    expect(platformDrift(learned, DAY).score).toBeLessThan(-20);
  });
});
