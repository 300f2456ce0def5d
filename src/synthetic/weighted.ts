import type { Rng } from '../domain/random.js';

/**
 * Picks among items with integer weights in O(log n): cumulative sums and a binary search,
 * because the hot loops (a few draws per generated line) run tens of millions of times.
 */
export class Weighted<T> {
  private readonly items: readonly T[];
  private readonly cumulative: readonly number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    let total = 0;
    this.items = entries.map(([item]) => item);
    this.cumulative = entries.map(([, weight]) => (total += weight));
    this.total = total;
    if (total <= 0) throw new RangeError('Weighted needs a positive total weight');
  }

  pick(rng: Rng): T {
    const target = rng.int(0, this.total - 1);
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}
