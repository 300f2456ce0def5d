/**
 * A set of 52-bit keys (a HyperLogLog's exact form), in one Float64Array with open
 * addressing. A `Set<number>` of such keys boxes each one (beyond 31 bits a number is a heap
 * object) and hashes it at every insert: at several inserts per rights check that was a
 * fifth of the shield's time and a share of its garbage. Keys are hash bits already, so
 * their low bits index the table directly. A slot holds key + 1 (0: empty), exact below 2^53.
 */
export class SparseKeys {
  private slots: Float64Array;
  private count = 0;

  constructor(capacity = 8) {
    this.slots = new Float64Array(capacity); // a power of two
  }

  get size(): number {
    return this.count;
  }

  /** Adds a key (an integer in [0, 2^52)); returns whether it was new. */
  add(key: number): boolean {
    const stored = key + 1;
    const slots = this.slots;
    const mask = slots.length - 1;
    // ToUint32: the key's low 32 bits, which are hash bits.
    for (let i = (stored >>> 0) & mask; ; i = (i + 1) & mask) {
      const slot = slots[i] ?? 0;
      if (slot === stored) return false;
      if (slot === 0) {
        slots[i] = stored;
        this.count += 1;
        // At most half full: probes stay short.
        if (this.count * 2 > slots.length) this.grow();
        return true;
      }
    }
  }

  /** Room for `n` keys at most half full, made at once: a union of sixty buckets would otherwise grow five times. */
  reserve(n: number): void {
    let capacity = this.slots.length;
    while (capacity < n * 2) capacity *= 2;
    if (capacity > this.slots.length) this.rehash(capacity);
  }

  /** Each key once, in no particular order. */
  forEach(fn: (key: number) => void): void {
    for (const slot of this.slots) if (slot !== 0) fn(slot - 1);
  }

  private grow(): void {
    this.rehash(this.slots.length * 2);
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    this.slots = new Float64Array(capacity);
    this.count = 0;
    for (const slot of old) if (slot !== 0) this.add(slot - 1);
  }
}
