import { describe, expect, it } from 'vitest';
import type { DaySummary } from './baseline.js';
import { defaultThresholds } from './config.js';
import { MemoryDistinctCounter } from './counters/index.js';
import { PlatformWatch, type PlatformHistory } from './platform-watch.js';
import { MemoryShieldStore } from './store.js';

const DAY_MS = 86_400_000;
/** Local midnight in Paris (winter) of 2026-01-01, and the day numbers after it. */
const FIRST_MIDNIGHT = Date.parse('2025-12-31T23:00:00Z');
const isoDay = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * A platform of 1,500 physicians (25 patients a day, a quarter left uncalculated, each day
 * a little off that) and 500 pharmacies (150, a tenth); from `campaignFrom` on, the first
 * fifty accounts each add a quarter of their day, never calculated.
 */
function platformHistory(campaignFrom: number): PlatformHistory & { days: number } {
  const history = {
    days: 60,
    daysBetween(from: string, to: string): Promise<ReadonlyMap<number, readonly DaySummary[]>> {
      const found = new Map<number, DaySummary[]>();
      for (let account = 0; account < 2000; account++) {
        const [patients, usual] = account % 4 === 0 ? [150, 15] : [25, 6];
        const days: DaySummary[] = [];
        for (let n = 0; n < history.days; n++) {
          const day = isoDay(n);
          if (day < from || day > to) continue;
          const wobble = ((account * 7 + n * 13) % 5) - 2;
          const extra = account < 50 && n >= campaignFrom ? Math.round(patients / 4) : 0;
          days.push({ day, weekday: (n + 4) % 7, distinct: patients + extra, misses: 1, unfollowed: usual + wobble + extra, offHours: 0 });
        }
        found.set(account, days);
      }
      return Promise.resolve(found);
    },
  };
  return history;
}

/** Runs the watch over the days, a look a minute past midnight and another after; the day of each platform alert. */
async function alertDays(history: PlatformHistory, days: number): Promise<number[]> {
  const watch = new PlatformWatch(new MemoryShieldStore(new MemoryDistinctCounter()), () => defaultThresholds, history);
  const alerts: number[] = [];
  for (let n = 30; n < days; n++) {
    for (const minute of [1, 2, 3]) {
      const alarm = await watch.tick(FIRST_MIDNIGHT + n * DAY_MS + minute * 60_000);
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
      for (const minute of [1, 2]) found ??= await watch.tick(FIRST_MIDNIGHT + n * DAY_MS + minute * 60_000);
      if (found) expect(n).toBe(46);
    }
    expect(found?.findings.map((f) => f.signal)).toContain('driftScore');
    expect(found?.accounts.length).toBeGreaterThan(0);
    expect(found?.accounts.every((account) => account < 50)).toBe(true);
  });
});
