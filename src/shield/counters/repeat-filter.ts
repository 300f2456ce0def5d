import { MINUTE_MS, type CounterAdd } from './distinct-counter.js';

/**
 * What a counter need not add again: per key, the member it last added this minute. The
 * same member again that minute — an account's network, device, insurer at every request —
 * is already in every bucket and union it would reach, so leaving it out changes no count.
 * Forgotten when the minute changes (no string is built per addition: this runs at every
 * request). Bounded: beyond `kept` keys, all are forgotten at once (the next additions are
 * made again).
 */
export class RepeatFilter {
  private minute = Number.NaN;
  private readonly last = new Map<string, string>();

  constructor(private readonly kept = 100_000) {}

  /** The additions not made already this minute. */
  fresh(adds: readonly CounterAdd[], nowMs: number): CounterAdd[] {
    this.roll(nowMs);
    return adds.filter((add) => this.last.get(add.key) !== add.member);
  }

  /** A key the counter dropped starts again from nothing: its next additions are made. */
  forget(key?: string): void {
    if (key === undefined) this.last.clear();
    else this.last.delete(key);
  }

  /** Once the additions are made (a failed one is not remembered). */
  remember(adds: readonly CounterAdd[], nowMs: number): void {
    this.roll(nowMs);
    if (this.last.size > this.kept) this.last.clear();
    for (const add of adds) this.last.set(add.key, add.member);
  }

  /** Any change of minute, forward or back (a test's clock), forgets everything. */
  private roll(nowMs: number): void {
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (minute === this.minute) return;
    this.minute = minute;
    this.last.clear();
  }
}

/**
 * Keys for which this instance already did a once-a-minute chore (given a bucket its
 * expiry, swept lapsed entries): the chore is asked for again when the minute changes.
 * A chore done twice (two requests racing) is harmless; one skipped would not be, so a
 * key is marked only once the round trip that did it succeeded.
 */
export class MinuteMarks {
  private minute = Number.NaN;
  private readonly marked = new Set<string>();

  due(key: string, nowMs: number): boolean {
    this.roll(nowMs);
    return !this.marked.has(key);
  }

  mark(keys: Iterable<string>, nowMs: number): void {
    this.roll(nowMs);
    for (const key of keys) this.marked.add(key);
  }

  /** Any change of minute, forward or back (a test's clock), starts afresh: nothing is skipped wrongly. */
  private roll(nowMs: number): void {
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (minute === this.minute) return;
    this.minute = minute;
    this.marked.clear();
  }
}
