import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { redisTestsRun, testRedisUrl } from '../test-support/redis.js';
import { MemoryReplayGuard, RedisReplayGuard, type ReplayGuard } from './replay-cache.js';

const redisUrl = testRedisUrl;
/** Redis is on every machine of this project's kind and in CI; elsewhere this part is skipped. */
const hasRedis = await redisTestsRun();

function behavesAsSingleUse(make: () => ReplayGuard): void {
  it('accepts an identifier once, then refuses it until it expires', async () => {
    const guard = make();
    const key = randomUUID();
    const now = Date.now();
    expect(await guard.firstUse(key, now + 1000, now)).toBe(true);
    expect(await guard.firstUse(key, now + 1000, now)).toBe(false);
    await guard.close();
  });
}

describe('single use in one process', () => {
  behavesAsSingleUse(() => new MemoryReplayGuard());

  it('fails closed when full of live identifiers', async () => {
    const guard = new MemoryReplayGuard(2);
    const now = Date.now();
    expect(await guard.firstUse('a', now + 1000, now)).toBe(true);
    expect(await guard.firstUse('b', now + 1000, now)).toBe(true);
    expect(await guard.firstUse('c', now + 1000, now)).toBe(false);
    expect(await guard.firstUse('c', now + 1000, now + 2000)).toBe(true); // once a and b have expired
  });
});

describe.runIf(hasRedis)('single use across instances, through Redis', () => {
  const instances: [ReplayGuard, ReplayGuard] = [RedisReplayGuard.connect(redisUrl), RedisReplayGuard.connect(redisUrl)];
  afterAll(async () => {
    for (const instance of instances) await instance.close();
  });
  behavesAsSingleUse(() => RedisReplayGuard.connect(redisUrl));

  it('refuses on one instance what another has already accepted', async () => {
    const [first, second] = instances;
    const key = randomUUID();
    const now = Date.now();
    expect(await first.firstUse(key, now + 5000, now)).toBe(true);
    expect(await second.firstUse(key, now + 5000, now)).toBe(false);
  });
});
