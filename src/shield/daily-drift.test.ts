import { describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import { addDays, HOUR_MS, type CalendarDate } from '../domain/dates.js';
import { LEARNING_DAYS } from './baseline.js';
import { defaultThresholds } from './config.js';
import { MemoryDistinctCounter, MINUTE_MS } from './counters/index.js';
import { DailyDrifts, uninvoicedWords, type PlatformHistory } from './daily-drift.js';
import type { AccountDay } from './drift.js';
import { PlatformWatch, type PlatformAlarm } from './platform-watch.js';
import { MemoryShieldStore } from './store.js';

const START = today();

/**
 * 2,000 accounts whose engagements fall due every day: physicians (25 a day, a fifth left
 * without an invoice, the checks that led to no care) and pharmacies (150, a twentieth),
 * each day a little off that. `changed` rewrites an account's day `n` (days after START).
 */
function invoicing(changed: (account: number, n: number, day: AccountDay) => AccountDay = (_a, _n, day) => day): PlatformHistory {
  const dayOf = (n: number): AccountDay[] =>
    Array.from({ length: 2000 }, (_, account) => {
      const [distinct, usual] = account % 4 === 0 ? [150, 7.5] : [25, 5];
      const wobble = ((account * 7 + n * 13) % 5) - 2;
      return changed(account, n, { account, distinct, unfollowed: Math.round(usual) + wobble, usualShare: usual / distinct, learnedDays: 28 });
    });
  return {
    accountDays: () => Promise.resolve([]),
    uninvoicedDays(from: CalendarDate, to: CalendarDate) {
      const days = new Map<CalendarDate, AccountDay[]>();
      for (let day = from; day <= to; day = addDays(day, 1)) days.set(day, dayOf(Math.round((Date.parse(day) - Date.parse(START)) / 86_400_000)));
      return Promise.resolve(days);
    },
  };
}

/** The drifts checked each morning from day 1 to `last`: the findings of each day that had some. */
async function mornings(history: PlatformHistory, last: number): Promise<Map<number, Awaited<ReturnType<DailyDrifts['check']>>>> {
  const drifts = new DailyDrifts(history);
  const found = new Map<number, Awaited<ReturnType<DailyDrifts['check']>>>();
  for (let n = 1; n <= last; n++) {
    const day = await drifts.check(addDays(START, n), defaultThresholds);
    if (day) found.set(n - 1, day);
  }
  return found;
}

describe('the platform’s drift of engagements never invoiced', () => {
  it('stays quiet on ordinary days', async () => {
    expect([...(await mornings(invoicing(), 30)).keys()]).toEqual([]);
  });

  it('finds fifty accounts each leaving an extra quarter of their day without an invoice, the morning after', async () => {
    const crowd = invoicing((account, n, day) => (account < 50 && n >= 20 ? { ...day, distinct: day.distinct + Math.round(day.distinct / 4), unfollowed: day.unfollowed + Math.round(day.distinct / 4) } : day));
    const found = await mornings(crowd, 25);
    expect([...found.keys()][0]).toBe(20);
    const first = found.get(20);
    expect(first?.findings.map((f) => f.signal)).toContain('uninvoicedScore');
    expect(first?.accounts.length).toBeGreaterThan(0);
    expect(first?.accounts.every((account) => account < 50)).toBe(true);
    expect(first?.evidence.map((e) => e.compte).sort()).toEqual([...(first?.accounts ?? [])].sort());
  });

  it('alerts on one account whose engagements stop being invoiced, not on a new account that never invoiced', async () => {
    const stopped = invoicing((account, n, day) => {
      if (account === 7 && n === 20) return { ...day, unfollowed: day.distinct };
      if (account === 8) return { ...day, unfollowed: day.distinct, usualShare: 1, learnedDays: Math.min(n, LEARNING_DAYS - 1) };
      if (account === 9 && n === 20) return { ...day, unfollowed: day.distinct, learnedDays: LEARNING_DAYS - 1 };
      return day;
    });
    const found = await mornings(stopped, 22);
    expect([...found.keys()]).toEqual([20]);
    expect(found.get(20)).toEqual({
      findings: [{ signal: 'uninvoicedAccounts', value: 1, threshold: defaultThresholds.uninvoicedAccountSigmas }],
      accounts: [7],
      evidence: [{ compte: 7, jour: addDays(START, 20), engagementsEchus: 25, sansFacture: 25, partHabituelle: 20, ecartsTypes: 8.2 }],
    });
    expect(uninvoicedWords(found.get(20)?.evidence ?? [])).toBe(' ; engagements sans facture dans le délai de la profession : 25 sur 25, pour 1 compte');
  });

  it('leaves the platform off alert for one account’s billing stopping: only that account is tightened', async () => {
    const stopped = invoicing((account, n, day) => (account === 7 && n === 20 ? { ...day, unfollowed: day.distinct } : day));
    const watch = new PlatformWatch(new MemoryShieldStore(new MemoryDistinctCounter()), () => defaultThresholds, stopped);
    // The local noon of day 21, when day 20 is checked; the check runs off the path, its alarm comes a minute later.
    const noon = Date.parse(`${addDays(START, 21)}T11:00:00Z`);
    let alarm: PlatformAlarm | undefined;
    for (let minute = 0; minute < 5 && alarm === undefined; minute++) alarm = await watch.tick(noon + minute * MINUTE_MS);
    expect(alarm?.findings.map((f) => f.signal)).toEqual(['uninvoicedAccounts']);
    expect(alarm?.accounts).toEqual([7]);
    expect(watch.alerting(noon + HOUR_MS)).toBe(false);
  });
});
