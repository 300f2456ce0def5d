import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { HOUR_MS } from '../../domain/dates.js';
import { MinuteMarks, RepeatFilter } from './repeat-filter.js';
import { bucketsFor, MINUTE_MS, type CounterAdd, type CounterRead, type DistinctCounter } from './distinct-counter.js';

/** Minute keys serve windows up to an hour (61 buckets); two hours of life past their minute is ample. */
const MINUTE_KEY_TTL_MS = 2 * HOUR_MS;
/** Hour keys serve the day window (25 buckets): kept 25 h past their hour, plus a minute. */
const HOUR_KEY_TTL_MS = 25 * HOUR_MS + MINUTE_MS;
/** Hourly totals serve the platform watch's last 48 hours: kept 49 h past their hour. */
const TOTAL_TTL_MS = 49 * HOUR_MS;

/** The whole of one request, run by Redis itself (see the script's header). */
const OBSERVE_SCRIPT = readFileSync(new URL('./redis-observe.lua', import.meta.url), 'utf8');

/** Adds to hourly totals that ride along with a request's counters (platform volume, misses). */
export interface TotalAdd {
  key: string;
  by: number;
}

/** A request entering or leaving the keys it is in flight under, riding along with its counters (ShieldStore.enter). */
export interface Flight {
  token: string;
  lapseMs: number;
  enter: readonly string[];
  leave: readonly string[];
}

/** Per addition, hourly total and key entered, its name among this instance's once-a-minute chores (MinuteMarks), in the same order. */
interface Marks {
  adds: string[];
  totals: string[];
  enter: string[];
}

type ObservingRedis = Redis & { shieldObserve(...args: (string | number)[]): Promise<number[]> };

/**
 * Shared by every instance through Redis HyperLogLogs (p = 14, 0.81 % standard error,
 * exact below a few hundred members thanks to Redis's sparse encoding, ≤ 12 KiB a key).
 * Each member goes into its minute key and its hour key; a window is counted as the union
 * of the buckets it overlaps, merged once when the window moves and then kept up to date
 * by every addition (see the script). A request's additions, counts and hourly totals are
 * one script (EVALSHA): one round trip, and one single-key PFCOUNT per window.
 *
 * Keys are `<namespace>:{<key>}:m:<minute>` and `<namespace>:{<key>}:h:<hour>`. Every key
 * has a TTL, so Redis memory is bounded by the traffic of the last 25 hours. The script
 * names its keys itself: one Redis primary (with replicas for failover), not a cluster.
 */
export class RedisDistinctCounter implements DistinctCounter {
  private readonly redis: ObservingRedis;
  /** What this instance already added this minute is not sent again. */
  private readonly repeats = new RepeatFilter();
  /** Keys whose buckets (or requests in flight) this instance already gave their expiry this minute. */
  private readonly expiring = new MinuteMarks();

  /** `namespace` prefixes every key: platforms (or test runs) sharing one Redis never meet. */
  constructor(
    redis: Redis,
    private readonly namespace = 'rempart:shield',
  ) {
    redis.defineCommand('shieldObserve', { numberOfKeys: 0, lua: OBSERVE_SCRIPT });
    this.redis = redis as ObservingRedis;
  }

  static connect(url: string, namespace?: string): RedisDistinctCounter {
    return new RedisDistinctCounter(new Redis(url, { maxRetriesPerRequest: 2 }), namespace);
  }

  async add(key: string, member: string, nowMs: number): Promise<void> {
    await this.observe([{ key, member }], [], nowMs);
  }

  async count(key: string, windowMs: number, nowMs: number): Promise<number> {
    const [count = 0] = await this.observe([], [{ key, windowMs }], nowMs);
    return count;
  }

  /** One count per read; with a flight, then the requests in flight under each key it enters. */
  async observe(everyAdd: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number, totals: readonly TotalAdd[] = [], flight?: Flight): Promise<number[]> {
    // Windows are checked here, where a bad one is a clear RangeError rather than a script error.
    for (const read of reads) bucketsFor(read.windowMs, nowMs);
    const adds = this.repeats.fresh(everyAdd, nowMs);
    const marks: Marks = { adds: adds.map((a) => `c:${a.key}`), totals: totals.map((t) => `t:${t.key}`), enter: (flight?.enter ?? []).map((key) => `f:${key}`) };
    const counts = await this.run(adds, reads, nowMs, totals, marks, flight);
    this.repeats.remember(adds, nowMs);
    this.expiring.mark([...marks.adds, ...marks.totals, ...marks.enter], nowMs);
    return counts;
  }

  private run(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number, totals: readonly TotalAdd[], marks: Marks, flight?: Flight): Promise<number[]> {
    const due = (mark: string | undefined): string => (mark !== undefined && this.expiring.due(mark, nowMs) ? '1' : '0');
    return this.redis.shieldObserve(
      this.namespace,
      nowMs,
      MINUTE_KEY_TTL_MS,
      HOUR_KEY_TTL_MS,
      TOTAL_TTL_MS,
      adds.length,
      ...adds.flatMap((a, i) => [a.key, a.member, a.grain ?? '', due(marks.adds[i])]),
      reads.length,
      ...reads.flatMap((r) => [r.key, r.windowMs]),
      totals.length,
      ...totals.flatMap((t, i) => [t.key, t.by, due(marks.totals[i])]),
      flight?.token ?? '',
      flight?.lapseMs ?? 0,
      flight?.enter.length ?? 0,
      ...(flight?.enter ?? []).flatMap((key, i) => [key, due(marks.enter[i])]),
      flight?.leave.length ?? 0,
      ...(flight?.leave ?? []),
    );
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
