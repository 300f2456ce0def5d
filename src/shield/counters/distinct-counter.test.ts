import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { redisTestsRun, testRedisUrl } from '../../test-support/redis.js';
import { DAY_MS, HOUR_MS } from '../../domain/dates.js';
import fc from 'fast-check';
import { bucketsFor, MINUTE_MS, type DistinctCounter } from './distinct-counter.js';
import { MemoryDistinctCounter, RedisDistinctCounter } from './index.js';
import type { Flight } from './redis-distinct-counter.js';
import { Redis } from 'ioredis';

const redisUrl = testRedisUrl;
/** Redis is on every machine of this project's kind and in CI; elsewhere this part is skipped. */
const hasRedis = await redisTestsRun();

/** A fresh key per test, so runs sharing one Redis never see each other. */
const freshKey = (kind: string): string => `${kind}:${randomUUID()}`;

/** Both counters count at once a member added late (an instance's clock a little behind) to a bucket a union already covers. */
function countsDistinctMembers(make: () => DistinctCounter): void {
  const counters: DistinctCounter[] = [];
  const counter = (): DistinctCounter => {
    const made = make();
    counters.push(made);
    return made;
  };
  afterAll(async () => {
    for (const made of counters) await made.close();
  });

  it('counts distinct members, and duplicates only once', async () => {
    const c = counter();
    const key = freshKey('account');
    const now = Date.now();
    for (const member of ['a', 'b', 'c', 'a', 'b', 'a']) await c.add(key, member, now);
    for (const window of [MINUTE_MS, HOUR_MS, DAY_MS]) expect(await c.count(key, window, now)).toBe(3);
  });

  it('keeps a key added by the minute or by the hour only in those buckets, and in both without a grain', async () => {
    const c = counter();
    const [byMinute, byHour, both] = [freshKey('site'), freshKey('network'), freshKey('account')];
    const now = Date.now();
    await c.observe([{ key: byMinute, member: 'x', grain: 'minute' }, { key: byHour, member: 'x', grain: 'hour' }, { key: both, member: 'x' }], [], now);
    const counts = async (key: string): Promise<number[]> => Promise.all([MINUTE_MS, HOUR_MS, DAY_MS].map((window) => c.count(key, window, now)));
    expect(await counts(byMinute)).toEqual([1, 1, 0]);
    expect(await counts(byHour)).toEqual([0, 0, 1]);
    expect(await counts(both)).toEqual([1, 1, 1]);
  });

  it('counts the same member seen in different minutes once over the hour', async () => {
    const c = counter();
    const key = freshKey('site');
    const start = Date.now();
    for (let i = 0; i < 30; i++) await c.add(key, 'patient-1', start + i * MINUTE_MS);
    await c.add(key, 'patient-2', start + 30 * MINUTE_MS);
    expect(await c.count(key, HOUR_MS, start + 30 * MINUTE_MS)).toBe(2);
    expect(await c.count(key, DAY_MS, start + 30 * MINUTE_MS)).toBe(2);
  });

  it('stops counting members once they are older than the window', async () => {
    const c = counter();
    const key = freshKey('account');
    const t0 = Date.now();
    await c.add(key, 'old', t0);
    await c.add(key, 'recent', t0 + 50 * MINUTE_MS);
    // Within every window at first.
    expect(await c.count(key, MINUTE_MS, t0)).toBe(1);
    expect(await c.count(key, HOUR_MS, t0 + 50 * MINUTE_MS)).toBe(2);
    // A member counts for at least the window, at most the window plus one bucket.
    expect(await c.count(key, MINUTE_MS, t0 + MINUTE_MS - 1)).toBe(1);
    expect(await c.count(key, MINUTE_MS, t0 + 2 * MINUTE_MS)).toBe(0);
    expect(await c.count(key, HOUR_MS, t0 + HOUR_MS + 2 * MINUTE_MS)).toBe(1); // 'old' has left the hour
    expect(await c.count(key, DAY_MS, t0 + HOUR_MS + 2 * MINUTE_MS)).toBe(2);
    expect(await c.count(key, DAY_MS, t0 + DAY_MS + 2 * HOUR_MS)).toBe(0);
  });

  it('counts every window of one key exactly while they are read in turn', async () => {
    // One key is read over a minute, the grace, an hour and a day at each request: each window keeps its own union.
    const windows = [MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 23 * HOUR_MS];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ member: fc.integer({ min: 0, max: 40 }), minutes: fc.integer({ min: 0, max: 9 }), late: fc.boolean() }), { minLength: 1, maxLength: 40 }), async (steps) => {
        const c = counter();
        const key = freshKey('account');
        const seen: { member: number; at: number }[] = [];
        let now = Date.now();
        for (const { member, minutes, late } of steps) {
          now += minutes * MINUTE_MS;
          // A late addition lands in a bucket a cached union may already cover.
          const at = late ? now - 3 * MINUTE_MS : now;
          await c.add(key, String(member), at);
          seen.push({ member, at });
          for (const window of windows) {
            const { first, unit } = bucketsFor(window, now);
            const width = unit === 'm' ? MINUTE_MS : HOUR_MS;
            const within = seen.filter((s) => Math.floor(s.at / width) >= first && s.at <= now);
            expect(await c.count(key, window, now)).toBe(new Set(within.map((s) => s.member)).size);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('keeps keys independent', async () => {
    const c = counter();
    const [account, site] = [freshKey('account'), freshKey('site')];
    const now = Date.now();
    await c.add(account, 'x', now);
    await c.add(account, 'y', now);
    await c.add(site, 'x', now);
    expect(await c.count(account, MINUTE_MS, now)).toBe(2);
    expect(await c.count(site, MINUTE_MS, now)).toBe(1);
    expect(await c.count(freshKey('client'), MINUTE_MS, now)).toBe(0);
  });

  it('estimates large sets within a few per cent', async () => {
    const c = counter();
    const key = freshKey('client');
    const now = Date.now();
    for (let i = 0; i < 5_000; i++) await c.add(key, `beneficiary-${i}`, now + (i % 60) * MINUTE_MS);
    const estimate = await c.count(key, HOUR_MS, now + 59 * MINUTE_MS);
    expect(Math.abs(estimate - 5_000) / 5_000).toBeLessThan(0.1);
  });

  it('refuses windows beyond a day', async () => {
    await expect(counter().count(freshKey('account'), DAY_MS + 1, Date.now())).rejects.toThrow(RangeError);
  });
}

describe('distinct members in one process', () => {
  countsDistinctMembers(() => new MemoryDistinctCounter());

  it('holds at most its configured number of keys, forgetting the least recently used', async () => {
    const c = new MemoryDistinctCounter({ maxKeys: 1_000 });
    const now = Date.now();
    await c.add('account:kept', 'm', now);
    for (let i = 0; i < 100_000; i++) {
      await c.add(`site:${i}`, 'm', now);
      if (i % 500 === 0) await c.add('account:kept', 'm', now); // stays recent
    }
    expect(c.size).toBe(1_000);
    expect(await c.count('account:kept', MINUTE_MS, now)).toBe(1);
    expect(await c.count('site:99999', MINUTE_MS, now)).toBe(1);
    expect(await c.count('site:0', MINUTE_MS, now)).toBe(0); // evicted
  });

  it('counts again a member of a key it forgot, even within the minute it was first added', async () => {
    const c = new MemoryDistinctCounter({ maxKeys: 1 });
    const now = Date.now();
    await c.add('account:a', 'x', now);
    await c.add('account:b', 'y', now); // account:a forgotten
    await c.add('account:a', 'x', now);
    expect(await c.count('account:a', MINUTE_MS, now)).toBe(1);
  });
});

describe.runIf(hasRedis)('distinct members across instances, through Redis', () => {
  countsDistinctMembers(() => RedisDistinctCounter.connect(redisUrl));

  it('lets two instances sharing one Redis see each other’s members', async () => {
    const first = RedisDistinctCounter.connect(redisUrl);
    const second = RedisDistinctCounter.connect(redisUrl);
    const key = freshKey('account');
    const now = Date.now();
    // An attack split across two instances: 20 beneficiaries each, 5 in common.
    for (let i = 0; i < 20; i++) await first.add(key, `nir-${i}`, now);
    for (let i = 15; i < 35; i++) await second.add(key, `nir-${i}`, now);
    expect(await first.count(key, MINUTE_MS, now)).toBe(35);
    expect(await second.count(key, HOUR_MS, now)).toBe(35);
    await first.close();
    await second.close();
  });

  it('gives every key it writes an expiry, though it sets each only once a minute, and counts only requests in flight', async () => {
    const namespace = `rempart-test:${randomUUID()}`;
    const c = RedisDistinctCounter.connect(redisUrl, namespace);
    const redis = new Redis(redisUrl);
    try {
      const now = Date.now();
      const flight = (token: string, enter: string[], leave: string[]): Flight => ({ token, lapseMs: 30_000, enter, leave });
      const reads = [MINUTE_MS, HOUR_MS, DAY_MS].map((windowMs) => ({ key: 'a:1', windowMs }));
      // Two requests of one account: the second enters after the first left, so the set of
      // requests in flight is emptied in between, within the minute its expiry was set.
      expect(await c.observe([], reads, now, [], flight('r1', ['p:1'], []))).toEqual([0, 0, 0, 1]);
      await c.observe([{ key: 'a:1', member: 'x' }], reads, now, [{ key: 'misses', by: 1 }], flight('r1', [], ['p:1']));
      expect(await c.observe([{ key: 'a:1', member: 'y' }], reads, now + 1, [{ key: 'misses', by: 1 }], flight('r2', ['p:1'], []))).toEqual([2, 2, 2, 1]);
      // A request entered 31 s ago and never left (its instance crashed) no longer counts.
      await c.observe([], [], now - 31_000, [], flight('lost', ['p:1'], []));
      expect(await c.observe([], [], now + 2, [], flight('r3', ['p:1'], []))).toEqual([2]);
      const keys = await redis.keys(`${namespace}:*`);
      expect(keys.length).toBeGreaterThan(5);
      for (const key of keys) expect(await redis.pttl(key), key).toBeGreaterThan(0);
    } finally {
      await c.close();
      await redis.quit();
    }
  });
});
