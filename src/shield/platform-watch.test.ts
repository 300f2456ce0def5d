import { describe, expect, it } from 'vitest';
import { usualUnfollowedShare } from './baseline.js';
import { defaultThresholds } from './config.js';
import type { AccountDay } from './drift.js';
import { MemoryDistinctCounter } from './counters/index.js';
import { PlatformWatch, type PlatformHistory } from './platform-watch.js';
import { PEOPLE_KEY } from './counting.js';
import { daysBetween, localTime } from './local-time.js';
import { MemoryShieldStore } from './store.js';
import { parisAt } from './test-support/days.js';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';

/** Day 0 of the platform (today), and the local midnight in Paris of day `n` after it. */
const START = today();
const midnight = (n: number): number => parisAt(addDays(START, n), 0);

/**
 * A platform of 1,500 physicians (25 patients a day, a quarter left uncalculated, each day
 * a little off that) and 500 pharmacies (150, a tenth); from day `campaignFrom` on, the
 * first fifty accounts each add a quarter of their day, never calculated. The platform
 * opens on day `openedOn`: each account's usual share is learned as the server learns it
 * (usualUnfollowedShare: the prior's fifth at least, under ten days).
 */
function platformHistory(campaignFrom: number, openedOn = -Infinity): PlatformHistory {
  return {
    accountDays(day: string): Promise<AccountDay[]> {
      const n = daysBetween(START, day);
      if (n < openedOn) return Promise.resolve([]);
      const learnedDays = Math.min(28, n - openedOn);
      return Promise.resolve(
        Array.from({ length: 2000 }, (_, account) => {
          const [distinct, usual] = account % 4 === 0 ? [150, 15] : [25, 6];
          const wobble = ((account * 7 + n * 13) % 5) - 2;
          const extra = account < 50 && n >= campaignFrom ? Math.round(distinct / 4) : 0;
          const usualShare = usualUnfollowedShare(usual * learnedDays, distinct * learnedDays, learnedDays);
          return { account, distinct: distinct + extra, unfollowed: usual + wobble + extra, usualShare, learnedDays };
        }),
      );
    },
  };
}

/** Runs the watch over the days, a look a minute past midnight and another after; the day of each platform alert. */
async function alertDays(history: PlatformHistory, days: number): Promise<number[]> {
  const watch = new PlatformWatch(new MemoryShieldStore(new MemoryDistinctCounter()), () => defaultThresholds, history);
  const alerts: number[] = [];
  for (let n = 30; n < days; n++) {
    for (const minute of [1, 2, 3]) {
      const alarm = await watch.tick(midnight(n) + minute * 60_000);
      if (alarm?.findings.some((f) => f.signal === 'driftScore' || f.signal === 'driftCumulative')) alerts.push(n);
    }
  }
  return alerts;
}

describe('the platform watch, day by day', () => {
  it('raises no alert on ordinary days', async () => {
    expect(await alertDays(platformHistory(Infinity), 60)).toEqual([]);
  });

  it('alerts the morning after a slow campaign’s first day, naming its accounts among those to tighten', async () => {
    const history = platformHistory(45);
    const watch = new PlatformWatch(new MemoryShieldStore(new MemoryDistinctCounter()), () => defaultThresholds, history);
    let found;
    for (let n = 30; n <= 46 && !found; n++) {
      for (const minute of [1, 2]) found ??= await watch.tick(midnight(n) + minute * 60_000);
      if (found) expect(n).toBe(46);
    }
    expect(found?.findings.map((f) => f.signal)).toContain('driftScore');
    expect(found?.accounts.length).toBeGreaterThan(0);
    expect(found?.accounts.every((account) => account < 50)).toBe(true);
  });

  it('starts on a platform a few days old without learning its young days, and still alerts the morning after a campaign', async () => {
    // Opened on day 22: the instance starting on day 30 looks back on days without any
    // account, then on accounts still on the prior's fifth (pharmacies leave a tenth).
    // The campaign goes on, and so do the alerts, from the morning after its first day.
    expect(await alertDays(platformHistory(45, 22), 50)).toEqual([46, 47, 48, 49]);
    expect(await alertDays(platformHistory(Infinity, 22), 60)).toEqual([]);
  });

  it('alerts a second cause minutes after a decoy alert: no quota silences it, and the same cause is not alerted twice', async () => {
    const store = new MemoryShieldStore(new MemoryDistinctCounter());
    const watch = new PlatformWatch(store, () => defaultThresholds);
    const morning = parisAt(addDays(START, 40), 10);
    // The decoy: a burst of misses beyond the platform's floor, on purpose.
    await store.observe([], [], morning, [{ key: 'misses', by: defaultThresholds.platformMissFloor + 50 }]);
    expect((await watch.tick(morning))?.findings.map((f) => f.signal)).toEqual(['missesHour']);
    // Then the real campaign: accounts rising together.
    for (let account = 0; account <= defaultThresholds.platformElevatedFloor; account++) await store.noteElevated(account, morning + 60_000);
    const campaign = await watch.tick(morning + 2 * 60_000);
    expect(campaign?.findings.map((f) => f.signal)).toEqual(['elevatedAccounts']);
    expect(campaign?.accounts).toHaveLength(defaultThresholds.platformElevatedFloor + 1);
    expect(await watch.tick(morning + 3 * 60_000)).toBeUndefined();
  });

  it('alerts when many accounts are above their own usual at once, though none is near its thresholds', async () => {
    const store = new MemoryShieldStore(new MemoryDistinctCounter());
    const watch = new PlatformWatch(store, () => defaultThresholds);
    const morning = parisAt(addDays(START, 40), 10);
    for (let account = 0; account <= defaultThresholds.platformAboveFloor; account++) await store.noteElevated(account, morning, 'above');
    const alarm = await watch.tick(morning + 60_000);
    expect(alarm?.findings.map((f) => f.signal)).toEqual(['aboveUsualAccounts']);
    // Those accounts are the ones whose budgets the alert tightens.
    expect(alarm?.accounts).toHaveLength(defaultThresholds.platformAboveFloor + 1);
  });

  it('learns the people seen each hour and alerts only when an hour has far more of them', async () => {
    const store = new MemoryShieldStore(new MemoryDistinctCounter());
    const watch = new PlatformWatch(store, () => defaultThresholds);
    // Each hour, 240 people, four new ones a minute, but from 18 h to 19 h, when it is four
    // times as many (closing hours drop at once); from day 40, 10 h, four times as many.
    const peopleHourAlerts: number[] = [];
    let person = 0;
    for (let minute = 0; minute < 7 * 24 * 60; minute++) {
      const nowMs = midnight(35) + minute * 60_000;
      const campaign = minute >= 5 * 24 * 60 + 10 * 60;
      const evening = localTime(nowMs).hour === 18;
      const adds = Array.from({ length: campaign || evening ? 16 : 4 }, () => ({ key: PEOPLE_KEY, member: String(person++) }));
      await store.observe(adds, [], nowMs);
      const alarm = await watch.tick(nowMs);
      if (alarm?.findings.some((f) => f.signal === 'peopleHour')) peopleHourAlerts.push(minute);
    }
    // No alert on the five ordinary days; the first within the campaign's first hour.
    const first = peopleHourAlerts[0] ?? Infinity;
    expect(first).toBeGreaterThanOrEqual(5 * 24 * 60 + 10 * 60);
    expect(first).toBeLessThan(5 * 24 * 60 + 11 * 60);
  });
});
