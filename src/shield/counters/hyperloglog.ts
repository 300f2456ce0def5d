import { SparseKeys } from './sparse-keys.js';

/**
 * A small, standard HyperLogLog (Flajolet et al. 2007) with an exact sparse form, in the
 * spirit of HyperLogLog++ (Heule et al. 2013).
 *
 * Each member arrives as a 64-bit hash, of which 52 bits are kept (one exact JavaScript
 * number). Sparse form: the distinct 52-bit hashes themselves, up to `sparseLimit` (128 by
 * default) — the count is then exact, save a 52-bit collision (probability < n² / 2^53).
 * Dense form: 2^p one-byte registers; standard error 1.04 / √(2^p), 1.6 % at p = 12 (the
 * default, 4 KiB), 3.25 % at p = 10 (1 KiB). Below 2.5 · 2^p the dense estimate is
 * linear counting. Adding a hash already added never changes the sketch (a set insert or
 * a register maximum), so duplicates never increase the count.
 */
export class HyperLogLog {
  private sparse: SparseKeys | null = new SparseKeys();
  private dense: Uint8Array | null = null;
  /**
   * Σ 2^−register and the registers still zero, kept as registers rise: the estimate is
   * then read without a pass over the 2^p registers, which a count at every request of
   * the shield would otherwise pay. Powers of two add exactly while ranks stay below ~40.
   */
  private harmonicSum = 0;
  private zeros = 0;

  /** `sparseLimit`: members kept exactly before turning into registers; Infinity keeps a union sparse until told (densify). */
  constructor(
    readonly precision: number,
    private readonly sparseLimit = 128,
  ) {
    if (!Number.isInteger(precision) || precision < 4 || precision > 16) {
      throw new RangeError(`precision must be an integer within [4, 16], got ${precision}`);
    }
  }

  /** Adds a 64-bit hash given as its high and low unsigned 32-bit halves. */
  addHash(hi: number, lo: number): void {
    this.addKey(hi * LOW_BITS + (lo >>> 12));
  }

  /** Adds everything another sketch of the same precision holds: this becomes the union. */
  absorb(other: HyperLogLog): void {
    if (other.sparse) {
      const theirs = other.sparse;
      this.sparse?.reserve(Math.min(this.sparse.size + theirs.size, this.sparseLimit + 1));
      theirs.forEach((k) => this.addKey(k));
      return;
    }
    const registers = this.densify();
    const theirs = other.dense ?? registers;
    for (let i = 0; i < registers.length; i++) this.raise(registers, i, theirs[i] ?? 0);
  }

  /** Turns the exact form into registers now (a union whose buckets stopped being exact). */
  densify(): Uint8Array {
    if (this.dense) return this.dense;
    const registers = new Uint8Array(1 << this.precision);
    this.dense = registers;
    this.harmonicSum = registers.length;
    this.zeros = registers.length;
    this.sparse?.forEach((k) => this.raiseKey(registers, k));
    this.sparse = null;
    return registers;
  }

  private addKey(key: number): void {
    if (this.dense) {
      this.raiseKey(this.dense, key);
      return;
    }
    const sparse = this.sparse ?? new SparseKeys();
    if (sparse.add(key) && sparse.size > this.sparseLimit) this.densify();
  }

  /** The register a key goes to, raised to the key's rank there (computed inline: this runs for every member added). */
  private raiseKey(registers: Uint8Array, key: number): void {
    const p = this.precision;
    const hi = Math.floor(key / LOW_BITS);
    const low = key % LOW_BITS; // 20 bits
    const rest = (hi << p) >>> 0; // the 32 - p remaining high bits, then zeros
    const rank = rest !== 0 ? Math.clz32(rest) + 1 : low !== 0 ? 32 - p + (Math.clz32(low) - 12) + 1 : 52 - p + 1;
    this.raise(registers, hi >>> (32 - p), rank);
  }

  private raise(registers: Uint8Array, index: number, rank: number): void {
    const old = registers[index] ?? 0;
    if (rank <= old) return;
    registers[index] = rank;
    this.harmonicSum += (POWERS[rank] ?? 0) - (POWERS[old] ?? 0);
    if (old === 0) this.zeros--;
  }

  get isSparse(): boolean {
    return this.sparse !== null;
  }

  /** Exact while sparse; the HyperLogLog estimate of the registers once dense. */
  count(): number {
    if (this.sparse) return this.sparse.size;
    const m = 1 << this.precision;
    if (this.zeros === m) return 0;
    const alpha = m >= 128 ? 0.7213 / (1 + 1.079 / m) : m === 64 ? 0.709 : m === 32 ? 0.697 : 0.673;
    const raw = (alpha * m * m) / this.harmonicSum;
    if (raw <= 2.5 * m && this.zeros > 0) return Math.round(m * Math.log(m / this.zeros));
    return Math.round(raw);
  }
}

const LOW_BITS = 2 ** 20;

/** 2^−r for every rank a 52-bit hash can give. */
const POWERS = Array.from({ length: 54 }, (_, r) => 2 ** -r);
