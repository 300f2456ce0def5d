import { hash, randomBytes } from 'node:crypto';
import { HOUR_MS } from '../../domain/dates.js';
import { bucketsFor, MINUTE_MS, type CounterAdd, type CounterRead, type DistinctCounter, type Grain } from './distinct-counter.js';
import { HyperLogLog } from './hyperloglog.js';
import { RepeatFilter } from './repeat-filter.js';

export interface MemoryDistinctCounterOptions {
  /** Keys kept at most; the least recently added-to key is forgotten first. Default 20,000. */
  readonly maxKeys?: number;
  /** HyperLogLog precision p (2^p registers). Default 12: 1.6 % standard error, ≤ 4 KiB a bucket. */
  readonly precision?: number;
  /** Distinct members a bucket counts exactly before turning into registers. Default 128. */
  readonly exactUpTo?: number;
  /** Salt of the members' hashes; random by default. A fixed one makes runs reproducible (the simulator). */
  readonly salt?: string;
}

/** Minute buckets kept: a one-hour window overlaps at most 61 of them. */
const MINUTE_BUCKETS = 61;
/** Hour buckets kept: a one-day window overlaps at most 25 of them. */
const HOUR_BUCKETS = 25;
/** Members whose hashes are kept (about 100 bytes each); all are dropped at once beyond. */
const DIGESTS_KEPT = 4_096;

/** The union of a window's buckets first..current, kept up to date as members arrive. */
interface WindowUnion {
  readonly unit: 'm' | 'h';
  readonly first: number;
  readonly current: number;
  readonly union: HyperLogLog;
}

interface KeyState {
  readonly minutes: Map<number, HyperLogLog>;
  readonly hours: Map<number, HyperLogLog>;
  /**
   * Per window read (bucket width and first bucket), the union of its buckets. One key is
   * read over several windows at each request (a minute, the grace, an hour); each union is
   * built once when its window moves to a new bucket, then every member added to a bucket
   * it covers is added to it too, so a count reads a kept estimate instead of merging
   * sixty sketches. A few at most per key: an array, walked without allocating.
   */
  readonly windows: WindowUnion[];
  /** The minute the key was last moved to the back of the recency order: once a minute is enough. */
  touched: number;
}

/**
 * One process. Each key holds one HyperLogLog per minute (the last 61) and per hour (the
 * last 25); a window's count is the estimate of the union of the buckets it overlaps.
 *
 * Counts are exact while every bucket of the window holds at most `exactUpTo` (128)
 * distinct members — a pharmacy's 300 patients a day is ~40 an hour, so legitimate
 * traffic is counted exactly; beyond, HyperLogLog with 1.6 % standard error (p = 12).
 *
 * Memory is bounded twice: per key at most 86 sketches (61 minutes + 25 hours) of at most
 * ~4 KiB each, plus one union per window read (each at most 4 KiB, or the exact members
 * of its buckets: ≤ 61 × 128) — a few hundred KiB, reached only by a key above 128
 * distinct members in every minute of the hour; a key seeing a few members a minute holds
 * a few KiB — and at most `maxKeys` keys, the least recently added-to evicted first.
 * An evicted key starts again from zero; the keys are authenticated principals (accounts,
 * sites, clients), so an attacker cannot mint keys to push a victim's key out.
 *
 * Members are hashed with SHA-256 under a random per-process salt, so nobody can choose
 * member ids that land on low registers and make a large set look small.
 */
export class MemoryDistinctCounter implements DistinctCounter {
  private readonly keys = new Map<string, KeyState>();
  private readonly digests = new Map<string, [number, number]>();
  /** What was already added this minute is not added again (every count stays the same). */
  private readonly repeats = new RepeatFilter();
  private readonly maxKeys: number;
  private readonly precision: number;
  private readonly exactUpTo: number;
  private readonly salt: string;

  constructor(options: MemoryDistinctCounterOptions = {}) {
    this.maxKeys = options.maxKeys ?? 20_000;
    this.precision = options.precision ?? 12;
    this.exactUpTo = options.exactUpTo ?? 128;
    this.salt = options.salt ?? randomBytes(16).toString('hex');
    if (!Number.isInteger(this.maxKeys) || this.maxKeys < 1) throw new RangeError('maxKeys must be a positive integer');
    new HyperLogLog(this.precision); // validates the precision once, here
  }

  /** Keys currently held (≤ maxKeys). */
  get size(): number {
    return this.keys.size;
  }

  async add(key: string, member: string, nowMs: number): Promise<void> {
    await this.observe([{ key, member }], [], nowMs);
  }

  /**
   * A member's salted hash. An account's network, device and insurers come back at every
   * request: the last few thousand members' hashes are kept rather than computed again.
   */
  private digest(member: string): [number, number] {
    const known = this.digests.get(member);
    if (known) return known;
    const digest = hash('sha256', this.salt + member, 'buffer');
    const value: [number, number] = [digest.readUInt32BE(0), digest.readUInt32BE(4)];
    if (this.digests.size >= DIGESTS_KEPT) this.digests.clear();
    this.digests.set(member, value);
    return value;
  }

  private addDigest(key: string, [hi, lo]: [number, number], nowMs: number, grain?: Grain): void {
    const minute = Math.floor(nowMs / MINUTE_MS);
    const state = this.touch(key, minute);
    if (grain !== 'hour') this.addTo(state, 'm', this.bucket(state.minutes, minute, MINUTE_BUCKETS), minute, hi, lo);
    if (grain !== 'minute') {
      const hour = Math.floor(nowMs / HOUR_MS);
      this.addTo(state, 'h', this.bucket(state.hours, hour, HOUR_BUCKETS), hour, hi, lo);
    }
  }

  /** The key's state, made the most recent (Map order is recency order), the oldest key forgotten beyond `maxKeys`. */
  private touch(key: string, minute: number): KeyState {
    const state = this.keys.get(key);
    if (state && state.touched === minute) return state;
    const touched = state ?? { minutes: new Map(), hours: new Map(), windows: [], touched: minute };
    touched.touched = minute;
    this.keys.delete(key);
    this.keys.set(key, touched);
    if (!state && this.keys.size > this.maxKeys) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) {
        this.keys.delete(oldest.value);
        this.repeats.forget(oldest.value);
      }
    }
    return touched;
  }

  /** A member into bucket `b` of one unit, and into the live unions of that unit's windows covering it. */
  private addTo(state: KeyState, unit: 'm' | 'h', bucket: HyperLogLog, b: number, hi: number, lo: number): void {
    bucket.addHash(hi, lo);
    const windows = state.windows;
    for (let i = windows.length - 1; i >= 0; i--) {
      const window = windows[i];
      if (window?.unit !== unit) continue;
      // A window that has moved on is built again at its next read.
      if (b > window.current) windows.splice(i, 1);
      else if (b >= window.first) addToUnion(window.union, bucket, hi, lo);
    }
  }

  count(key: string, windowMs: number, nowMs: number): Promise<number> {
    return settled(() => this.countNow(key, windowMs, nowMs));
  }

  observe(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number): Promise<number[]> {
    return settled(() => this.observeNow(adds, reads, nowMs));
  }

  /** `observe` without a promise, for a store in the same process (MemoryShieldStore): one request's counting awaits nothing. */
  observeNow(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number): number[] {
    if (adds.length > 0) {
      const fresh = this.repeats.fresh(adds, nowMs);
      for (const { key, member, grain } of fresh) this.addDigest(key, this.digest(member), nowMs, grain);
      this.repeats.remember(fresh, nowMs);
    }
    return reads.map((read) => this.countNow(read.key, read.windowMs, nowMs));
  }

  close(): Promise<void> {
    this.keys.clear();
    this.repeats.forget();
    return Promise.resolve();
  }

  private countNow(key: string, windowMs: number, nowMs: number): number {
    const { unit, first, last } = bucketsFor(windowMs, nowMs);
    const state = this.keys.get(key);
    if (!state) return 0;
    const buckets = unit === 'm' ? state.minutes : state.hours;
    if (first === last) return buckets.get(last)?.count() ?? 0;
    return this.windowUnion(state, unit, buckets, first, last).count();
  }

  /** The union of buckets first..current, built when the window moves, then kept up to date by additions. */
  private windowUnion(state: KeyState, unit: 'm' | 'h', buckets: Map<number, HyperLogLog>, first: number, current: number): HyperLogLog {
    const windows = state.windows;
    const kept = windows.find((window) => window.unit === unit && window.first === first && window.current === current);
    if (kept) return kept.union;
    // Exact while every bucket is (as a single bucket is), registers as soon as one is not.
    const union = new HyperLogLog(this.precision, Infinity);
    for (let b = first; b <= current; b++) {
      const sketch = buckets.get(b);
      if (sketch) union.absorb(sketch);
    }
    // Unions of windows that ended at another bucket will not be asked for again.
    for (let i = windows.length - 1; i >= 0; i--) if (windows[i]?.unit === unit && windows[i]?.current !== current) windows.splice(i, 1);
    windows.push({ unit, first, current, union });
    return union;
  }

  /** The sketch of bucket `b`, created if need be; buckets older than `keep` are dropped then. */
  private bucket(buckets: Map<number, HyperLogLog>, b: number, keep: number): HyperLogLog {
    let sketch = buckets.get(b);
    if (!sketch) {
      sketch = new HyperLogLog(this.precision, this.exactUpTo);
      buckets.set(b, sketch);
      let newest = b;
      for (const known of buckets.keys()) if (known > newest) newest = known;
      for (const known of buckets.keys()) if (known <= newest - keep) buckets.delete(known);
    }
    return sketch;
  }
}

/** A member added to a bucket goes to the unions covering it; a bucket turned into registers turns them too. */
function addToUnion(union: HyperLogLog, bucket: HyperLogLog, hi: number, lo: number): void {
  if (!bucket.isSparse) union.densify();
  union.addHash(hi, lo);
}

/** Work done synchronously, answered as a store's promise: rejected rather than thrown. */
export function settled<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
