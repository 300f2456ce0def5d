import { MINUTE_MS, settled, type CounterAdd, type CounterRead, type MemoryDistinctCounter, type TotalAdd } from './counters/index.js';
import { DAY_MS, HOUR_MS } from '../domain/dates.js';
import type { GuardedSignal } from './rules.js';

/** Where an account stands on the escalation ladder. */
export type Level = 'normal' | 'slow' | 'step_up';

export interface AccountState {
  level: Level;
  /** When the current level began (ms). */
  since: number;
  /** Requests refused while a step-up is pending. */
  refused: number;
  /** When the account was last asked for a step-up on its signals, newest last (24 hours kept). */
  stepUps: number[];
  /** Last proof of presence the shield knows of (ms). */
  presenceAt: number;
  /** Thresholds granted by a passed step-up, until `raisedUntil`. */
  raised: Partial<Record<GuardedSignal, number>>;
  raisedUntil: number;
  /** Budgets tightened by a platform alert until then. */
  tightenedUntil: number;
}

/** How far up an account is, as the platform watch counts accounts: near its thresholds, or above its own usual. */
export type Tier = 'elevated' | 'above';

export const initialState: AccountState = { level: 'normal', since: 0, refused: 0, stepUps: [], presenceAt: 0, raised: {}, raisedUntil: 0, tightenedUntil: 0 };

/**
 * Everything the shield keeps between requests, shared by every instance when it lives in
 * Redis: distinct counters, account states, the accounts recently elevated, hourly sums.
 */
export interface ShieldStore {
  /**
   * Adds, counts, and adds to hourly totals (platform volume per profile, misses), in one
   * round trip; with `leaving`, the answered request leaves its keys in flight in the same.
   */
  observe(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number, totals?: readonly TotalAdd[], leaving?: Hold): Promise<number[]>;
  /** `nowMs`: the request's time, from which a store that remembers replays what it must. */
  state(account: number, nowMs?: number): Promise<AccountState>;
  saveState(account: number, state: AccountState): Promise<void>;
  /** The account is near its thresholds (`elevated`), or above its own usual (`above`): the platform watch counts both. */
  noteElevated(account: number, nowMs: number, tier?: Tier): Promise<void>;
  /** Accounts of the tier noted at or after `sinceMs`. */
  elevatedSince(sinceMs: number, nowMs: number, tier?: Tier): Promise<number[]>;
  /** Sum of the last `hours` hourly totals, the current one included. */
  sumHours(key: string, hours: number, nowMs: number): Promise<number>;
  /**
   * Enters a request under each key (an account, a software client) before it discloses
   * anything, and returns how many are in flight under each, this one included: the
   * admission counts a request at once, not after its answer. An entry left behind (a
   * crash) lapses after `IN_FLIGHT_MS`. The account's state and the counts admission
   * judges (`reads`) come back in the same round trip.
   */
  enter(hold: Hold, nowMs: number, reads?: readonly CounterRead[]): Promise<Entered>;
  /** The request answered (or failed): it no longer counts as in flight. */
  leave(hold: Hold): Promise<void>;
  close(): Promise<void>;
}

/** A request's entry among those in flight: under each of its keys, one token; the account's first. */
export interface Hold {
  account: number;
  keys: readonly string[];
  token: string;
}

/** The account's state, requests in flight under each key of the hold, this one included, and the counts read with them. */
export interface Entered {
  state: AccountState;
  inFlight: number[];
  counts: number[];
}

/** Longer than any request may take (the HTTP server's own timeouts are shorter). */
export const IN_FLIGHT_MS = 30_000;

const ELEVATED_KEEP_MS = DAY_MS;
const HOURS_KEPT = 48;

/** One process: the counters in memory (bounded), states and totals in maps. */
export class MemoryShieldStore implements ShieldStore {
  private readonly states = new Map<number, AccountState>();
  private readonly tiers = new Map<Tier, Map<number, number>>([
    ['elevated', new Map()],
    ['above', new Map()],
  ]);
  /** Per total, its sum per hour (the hour's number since the epoch), the last HOURS_KEPT. */
  private readonly hourly = new Map<string, Map<number, number>>();
  /** Per key, its requests in flight (keys left at zero are dropped once a minute, not at each request). */
  private readonly inFlight = new Map<string, number>();
  /** Per request in flight (its token), its keys and when it lapses. */
  private readonly holds = new Map<string, { keys: readonly string[]; lapsesAt: number }>();
  private lapsesLookedAt = Number.NaN;

  constructor(
    private readonly counters: MemoryDistinctCounter,
    private readonly maxAccounts = 200_000,
  ) {}

  // The hot methods return settled promises without awaiting anything: a request's way
  // through the shield in one process is synchronous, and every await is garbage.
  observe(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number, totals: readonly TotalAdd[] = [], leaving?: Hold): Promise<number[]> {
    return settled(() => {
      for (const total of totals) this.addToHour(total.key, nowMs, total.by);
      const counts = this.counters.observeNow(adds, reads, nowMs);
      if (leaving) this.leaveNow(leaving);
      return counts;
    });
  }

  state(account: number): Promise<AccountState> {
    return Promise.resolve(this.states.get(account) ?? initialState);
  }

  saveState(account: number, state: AccountState): Promise<void> {
    // Forget the oldest account first; a forgotten account starts again as normal, its suspension lives in the database.
    if (!this.states.has(account) && this.states.size >= this.maxAccounts) this.states.delete(this.states.keys().next().value ?? account);
    this.states.set(account, state);
    return Promise.resolve();
  }

  noteElevated(account: number, nowMs: number, tier: Tier = 'elevated'): Promise<void> {
    const noted = this.tiers.get(tier) ?? new Map<number, number>();
    noted.delete(account);
    noted.set(account, nowMs);
    // Insertion order is time order: drop from the front what is older than a day.
    for (const [id, at] of noted) {
      if (at >= nowMs - ELEVATED_KEEP_MS) break;
      noted.delete(id);
    }
    return Promise.resolve();
  }

  elevatedSince(sinceMs: number, _nowMs?: number, tier: Tier = 'elevated'): Promise<number[]> {
    return Promise.resolve([...(this.tiers.get(tier) ?? [])].filter(([, at]) => at >= sinceMs).map(([id]) => id));
  }

  private addToHour(key: string, nowMs: number, by: number): void {
    const hour = Math.floor(nowMs / HOUR_MS);
    let sums = this.hourly.get(key);
    if (!sums) this.hourly.set(key, (sums = new Map<number, number>()));
    sums.set(hour, (sums.get(hour) ?? 0) + by);
    sums.delete(hour - HOURS_KEPT);
  }

  sumHours(key: string, hours: number, nowMs: number): Promise<number> {
    const hour = Math.floor(nowMs / HOUR_MS);
    const sums = this.hourly.get(key);
    let sum = 0;
    for (let h = hour - hours + 1; h <= hour; h++) sum += sums?.get(h) ?? 0;
    return Promise.resolve(sum);
  }

  enter(hold: Hold, nowMs: number, reads: readonly CounterRead[] = []): Promise<Entered> {
    return settled(() => this.enterNow(hold, nowMs, reads));
  }

  /** Synchronous from the first key to the last: two requests of one instance never interleave here. */
  private enterNow({ account, keys, token }: Hold, nowMs: number, reads: readonly CounterRead[]): Entered {
    this.dropLapsed(nowMs);
    this.holds.set(token, { keys, lapsesAt: nowMs + IN_FLIGHT_MS });
    const inFlight = keys.map((key) => {
      const count = (this.inFlight.get(key) ?? 0) + 1;
      this.inFlight.set(key, count);
      return count;
    });
    return { state: this.states.get(account) ?? initialState, inFlight, counts: this.counters.observeNow([], reads, nowMs) };
  }

  leave(hold: Hold): Promise<void> {
    this.leaveNow(hold);
    return Promise.resolve();
  }

  /** Idempotent: a request that already left, or lapsed, leaves nothing. */
  private leaveNow({ token }: Pick<Hold, 'token'>): void {
    const hold = this.holds.get(token);
    if (!hold) return;
    this.holds.delete(token);
    for (const key of hold.keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
  }

  /**
   * Once a minute: the requests that never left (a bug, not a crash: a crash takes this
   * memory with it) lapse, and the keys left at zero are dropped. An entry thus lapses
   * between IN_FLIGHT_MS and a minute later.
   */
  private dropLapsed(nowMs: number): void {
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (minute === this.lapsesLookedAt) return;
    this.lapsesLookedAt = minute;
    for (const [token, hold] of this.holds) if (hold.lapsesAt <= nowMs) this.leaveNow({ token });
    for (const [key, count] of this.inFlight) if (count <= 0) this.inFlight.delete(key);
  }

  close(): Promise<void> {
    return this.counters.close();
  }
}
