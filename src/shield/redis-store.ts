import { Redis } from 'ioredis';
import { DAY_MS, HOUR_MS } from '../domain/dates.js';
import { RedisDistinctCounter, type CounterAdd, type CounterRead, type TotalAdd } from './counters/index.js';
import { IN_FLIGHT_MS, initialState, type AccountState, type Entered, type Hold, type ShieldStore, type Tier } from './store.js';

/** An account's state outlives its longest clock (raised budgets, seven days) by a day. */
const STATE_TTL_MS = 8 * DAY_MS;

function stateOf(stored: string | null): AccountState {
  return stored ? { ...initialState, ...(JSON.parse(stored) as Partial<AccountState>) } : initialState;
}

/**
 * Every instance shares the shield through Redis: a request's counters and hourly totals
 * are one script (RedisDistinctCounter), its account's state one GET sent with the
 * script at its entry. Every key expires.
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
    return new RedisShieldStore(new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true }), namespace);
  }

  observe(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number, totals: readonly TotalAdd[] = [], leaving?: Hold): Promise<number[]> {
    const flight = leaving && { token: leaving.token, lapseMs: IN_FLIGHT_MS, enter: [], leave: leaving.keys };
    return this.counters.observe(adds, reads, nowMs, totals, flight);
  }

  async state(account: number): Promise<AccountState> {
    return stateOf(await this.redis.get(this.stateKey(account)));
  }

  async saveState(account: number, state: AccountState): Promise<void> {
    await this.redis.set(this.stateKey(account), JSON.stringify(state), 'PX', STATE_TTL_MS);
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

  /** In one round trip: the account's state, and the counters' script, where the request enters its keys in flight and admission's counts are read. */
  async enter({ account, keys, token }: Hold, nowMs: number, reads: readonly CounterRead[] = []): Promise<Entered> {
    // Sent in the same tick, the two go in one write (auto-pipelining): one round trip.
    const [stored, replies] = await Promise.all([this.redis.get(this.stateKey(account)), this.counters.observe([], reads, nowMs, [], { token, lapseMs: IN_FLIGHT_MS, enter: keys, leave: [] })]);
    return { state: stateOf(stored), counts: replies.slice(0, reads.length), inFlight: replies.slice(reads.length) };
  }

  async leave({ keys, token }: Hold): Promise<void> {
    // No counter is touched: the script's time goes unused.
    await this.counters.observe([], [], 0, [], { token, lapseMs: IN_FLIGHT_MS, enter: [], leave: keys });
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  private stateKey(account: number): string {
    return `${this.namespace}:state:${account}`;
  }

  /** Written by the counters' script, which names it the same way. */
  private hourlyKey(key: string, hour: number): string {
    return `${this.namespace}:hourly:{${key}}:${hour}`;
  }
}
