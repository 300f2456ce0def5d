import { Redis } from 'ioredis';

/**
 * Single-use identifiers (DPoP proof and client assertion `jti`s) remembered until they
 * expire. Behind a load balancer every instance must share them, or a proof refused here
 * would be accepted next door: with REDIS_URL they live in Redis, otherwise in memory.
 */
export interface ReplayGuard {
  /** True the first time `key` is presented before `expiresAtMs`, false on a replay. */
  firstUse(key: string, expiresAtMs: number, nowMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const PURGE_EVERY = 5_000;

/**
 * One process. Bounded: when full of live entries it refuses new ones (fails closed)
 * rather than forgetting one that could then be replayed.
 */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();
  private insertsSincePurge = 0;

  constructor(private readonly capacity = 1_000_000) {}

  firstUse(key: string, expiresAtMs: number, nowMs = Date.now()): Promise<boolean> {
    const known = this.seen.get(key);
    if (known !== undefined && known > nowMs) return Promise.resolve(false);
    // Expired identifiers are swept every few thousand uses, so memory holds about a
    // minute of traffic instead of growing to the capacity.
    if (this.seen.size >= this.capacity || ++this.insertsSincePurge >= PURGE_EVERY) this.purge(nowMs);
    if (this.seen.size >= this.capacity) return Promise.resolve(false);
    this.seen.set(key, expiresAtMs);
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private purge(nowMs: number): void {
    this.insertsSincePurge = 0;
    for (const [key, expiresAt] of this.seen) if (expiresAt <= nowMs) this.seen.delete(key);
  }
}

/** Shared by every instance: SET NX with the identifier's own expiry, one round trip. */
export class RedisReplayGuard implements ReplayGuard {
  constructor(private readonly redis: Redis) {}

  static connect(url: string): RedisReplayGuard {
    return new RedisReplayGuard(new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false }));
  }

  async firstUse(key: string, expiresAtMs: number, nowMs = Date.now()): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAtMs - nowMs));
    return (await this.redis.set(`rempart:jti:${key}`, '1', 'PX', ttl, 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

export function replayGuardFromEnv(env: NodeJS.ProcessEnv): ReplayGuard {
  return env.REDIS_URL ? RedisReplayGuard.connect(env.REDIS_URL) : new MemoryReplayGuard();
}
