import { DAY_MS, HOUR_MS } from '../../domain/dates.js';

/**
 * Distinct members (beneficiary ids, NIRs…) seen per key (`account:123`, `site:45`,
 * `client:lgo-x`) over a sliding window, with bounded memory. The shield reads these on
 * the hot path: "how many different beneficiaries did this account check in the last
 * minute / hour / day?".
 *
 * Windows are made of whole time buckets: one-minute buckets for windows up to an hour,
 * one-hour buckets beyond (up to a day). A member therefore counts for at least
 * `windowMs` after it was added and at most `windowMs` plus one bucket (a minute, or an
 * hour for windows longer than an hour): the window is rounded outward, never inward, so
 * a burst is never missed because it straddles a bucket boundary.
 */
export interface DistinctCounter {
  /** Records that `member` was seen under `key` at `nowMs`. Idempotent within a bucket. */
  add(key: string, member: string, nowMs: number): Promise<void>;
  /** Estimated number of distinct members added under `key` in the window ending at `nowMs`. */
  count(key: string, windowMs: number, nowMs: number): Promise<number>;
  /** Adds, then counts windows, in one round trip: what one request of the shield needs. */
  observe(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * The buckets a key needs: `minute` for a key only ever read over an hour or less, `hour`
 * for one only read over longer windows; both when absent. Each add then costs one
 * bucket's update instead of two. A counter may keep both whatever the grain (Redis does).
 */
export type Grain = 'minute' | 'hour';

export interface CounterAdd {
  key: string;
  member: string;
  grain?: Grain;
}

export interface CounterRead {
  key: string;
  windowMs: number;
}

export const MINUTE_MS = 60_000;
/** The windows the shield reads; any window from 1 ms to a day is accepted. */
export const WINDOWS = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS } as const;

export interface BucketPlan {
  /** `'m'` for one-minute buckets, `'h'` for one-hour buckets. */
  readonly unit: 'm' | 'h';
  /** The first and last bucket numbers (time / bucket width) covering the window. */
  readonly first: number;
  readonly last: number;
}

/**
 * The buckets whose span overlaps the window (nowMs - windowMs, nowMs]: at most 61
 * minute buckets for windows up to an hour, at most 25 hour buckets for a day.
 */
export function bucketsFor(windowMs: number, nowMs: number): BucketPlan {
  if (!Number.isFinite(windowMs) || windowMs <= 0 || windowMs > DAY_MS) {
    throw new RangeError(`window must be within (0, ${DAY_MS}] ms, got ${windowMs}`);
  }
  const unit = windowMs <= HOUR_MS ? 'm' : 'h';
  const width = unit === 'm' ? MINUTE_MS : HOUR_MS;
  const last = Math.floor(nowMs / width);
  // First bucket whose end lies after the window's start.
  const first = Math.floor((nowMs - windowMs) / width);
  return { unit, first, last };
}
