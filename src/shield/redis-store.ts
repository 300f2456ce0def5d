import { Redis } from 'ioredis';
import { DAY_MS, HOUR_MS } from '../domain/dates.js';
import { RedisDistinctCounter, type CounterAdd, type CounterRead, type TotalAdd } from './counters/index.js';
import { IN_FLIGHT_MS, initialState, type AccountState, type ShieldStore, type Tier } from './store.js';

/** An account's state outlives its longest clock (raised budgets, seven days) by a day. */
const STATE_TTL_MS = 8 * DAY_MS;

/**
 * Every instance shares the shield through Redis: a request's counters and hourly totals
 * are one script (RedisDistinctCounter), its account's state one GET. Every key expires.
 */
export class RedisShieldStore implements ShieldStore {
  private readonly counters: RedisDistinctCounter;

  /** `namespace` prefixes every key: platforms (or test runs) sharing one Redis never meet. */
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'rempart:shield',
  ) {
    this.counters = new RedisDistinctCounter(redis, namespace);
  }

  static connect(url: string, namespace?: string): RedisShieldStore {
    return new RedisShieldStore(new Redis(url, { maxRetriesPerRequest: 2 }), namespace);
  }

  observe(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number, totals: readonly TotalAdd[] = []): Promise<number[]> {
    return this.counters.observe(adds, reads, nowMs, totals);
  }

  async state(account: number): Promise<AccountState> {
    const stored = await this.redis.get(`${this.namespace}:state:${account}`);
    return stored ? { ...initialState, ...(JSON.parse(stored) as Partial<AccountState>) } : initialState;
  }

  async saveState(account: number, state: AccountState): Promise<void> {
    await this.redis.set(`${this.namespace}:state:${account}`, JSON.stringify(state), 'PX', STATE_TTL_MS);
  }

  async noteElevated(account: number, nowMs: number, tier: Tier = 'elevated'): Promise<void> {
    const key = `${this.namespace}:${tier}`;
    await this.redis.multi().zadd(key, nowMs, String(account)).zremrangebyscore(key, '-inf', nowMs - DAY_MS).pexpire(key, DAY_MS).exec();
  }

  async elevatedSince(sinceMs: number, nowMs: number, tier: Tier = 'elevated'): Promise<number[]> {
    return (await this.redis.zrangebyscore(`${this.namespace}:${tier}`, sinceMs, nowMs)).map(Number);
  }

  async sumHours(key: string, hours: number, nowMs: number): Promise<number> {
    const hour = Math.floor(nowMs / HOUR_MS);
    const values = await this.redis.mget(...Array.from({ length: hours }, (_, i) => this.hourlyKey(key, hour - i)));
    return values.reduce((sum, v) => sum + Number(v ?? 0), 0);
  }

  /** One transaction: every instance's requests in flight under a key are one sorted set (token scored by when it lapses). */
  async enter(keys: readonly string[], token: string, nowMs: number): Promise<number[]> {
    const multi = this.redis.multi();
    for (const key of keys) {
      const set = this.inFlightKey(key);
      multi.zremrangebyscore(set, '-inf', nowMs).zadd(set, nowMs + IN_FLIGHT_MS, token).zcard(set).pexpire(set, IN_FLIGHT_MS);
    }
    const replies = (await multi.exec()) ?? [];
    return keys.map((_, i) => Number(replies[i * 4 + 2]?.[1] ?? 0));
  }

  async leave(keys: readonly string[], token: string): Promise<void> {
    const multi = this.redis.multi();
    for (const key of keys) multi.zrem(this.inFlightKey(key), token);
    await multi.exec();
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  private inFlightKey(key: string): string {
    return `${this.namespace}:inflight:${key}`;
  }

  /** Written by the counters' script, which names it the same way. */
  private hourlyKey(key: string, hour: number): string {
    return `${this.namespace}:hourly:{${key}}:${hour}`;
  }
}
