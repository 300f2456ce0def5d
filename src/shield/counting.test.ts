import { describe, expect, it } from 'vitest';
import { bucketsFor, MINUTE_MS, type CounterAdd, type CounterRead } from './counters/index.js';
import { calculationAdd, guardedReads, KeysCache, lookupAdds, PEOPLE_KEY, sharedLevels, shownReads } from './counting.js';
import { HOUR_MS } from '../domain/dates.js';
import { localTime, offHours } from './local-time.js';

const subject = { professionalId: 7, siteId: 3, clientId: 'logiciel', network: '192.0.2.0/24', device: 'cle' };

/** Every read the shield makes of an account's keys, the shared levels' and the platform's. */
function everyRead(): CounterRead[] {
  return [
    ...guardedReads(7, 30 * MINUTE_MS),
    ...shownReads(7),
    ...sharedLevels(subject).map(({ key }) => ({ key, windowMs: MINUTE_MS })),
    { key: PEOPLE_KEY, windowMs: HOUR_MS },
  ];
}

/** The first hour from now that the shield counts as off hours (a night in Paris). */
function offHoursFrom(nowMs: number): number {
  let at = nowMs;
  while (!offHours(localTime(at))) at += HOUR_MS;
  return at;
}

describe('what a check adds to the counters', () => {
  it('keeps, for every key, the buckets each of its reads needs (a key kept by the hour read by the minute would count nothing)', () => {
    const nowMs = Date.now();
    const covered = { covered: true, beneficiary: '1:42', insurerId: 1, queryKey: 'q' };
    const adds: CounterAdd[] = [
      ...lookupAdds(subject, covered, offHoursFrom(nowMs)),
      ...lookupAdds(subject, { ...covered, covered: false, beneficiary: null }, nowMs),
      calculationAdd(7, '1:42'),
    ];
    for (const read of everyRead()) {
      const unit = bucketsFor(read.windowMs, nowMs).unit;
      const grains = adds.filter((add) => add.key === read.key).map((add) => add.grain);
      expect(grains.length, read.key).toBeGreaterThan(0);
      for (const grain of grains) expect(grain === undefined || (grain === 'minute') === (unit === 'm'), `${read.key} lu sur ${read.windowMs} ms`).toBe(true);
    }
  });
});

describe('an account\'s keys, built once', () => {
  it('are the ones built afresh, and follow the account to another site, software or network', () => {
    const cache = new KeysCache(30 * MINUTE_MS);
    const keys = cache.of(subject);
    expect(cache.of({ ...subject })).toBe(keys);
    expect(keys.guarded).toEqual(guardedReads(7, 30 * MINUTE_MS));
    expect(keys.hold).toEqual(['p:7', ...sharedLevels(subject).map(({ key }) => key)]);
    const covered = { covered: true, beneficiary: '1:42', insurerId: 1, queryKey: 'q' };
    expect(lookupAdds(subject, covered, Date.now(), keys)).toEqual(lookupAdds(subject, covered, Date.now()));
    for (const moved of [{ siteId: 4 }, { clientId: 'autre' }, { clientId: null }, { network: '198.51.100.0/24' }]) {
      const elsewhere = { ...subject, ...moved };
      expect(cache.of(elsewhere).hold, JSON.stringify(moved)).toEqual(['p:7', ...sharedLevels(elsewhere).map(({ key }) => key)]);
    }
  });
});
