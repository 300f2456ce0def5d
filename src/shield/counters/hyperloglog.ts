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
  private sparse: Set<number> | null = new Set();
  private dense: Uint8Array | null = null;

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
      for (const k of other.sparse) this.addKey(k);
      return;
    }
    if (!this.dense) {
      this.dense = new Uint8Array(1 << this.precision);
      for (const k of this.sparse ?? []) setRegister(this.dense, this.precision, k);
      this.sparse = null;
    }
    other.mergeInto(this.dense);
  }

  /** |this ∪ other| without copying either, while both are sparse (undefined otherwise). */
  exactUnionSize(other: HyperLogLog): number | undefined {
    if (!this.sparse || !other.sparse) return undefined;
    let added = 0;
    for (const k of other.sparse) if (!this.sparse.has(k)) added++;
    return this.sparse.size + added;
  }

  private addKey(key: number): void {
    if (this.dense) {
      setRegister(this.dense, this.precision, key);
      return;
    }
    const sparse = this.sparse ?? new Set<number>();
    sparse.add(key);
    if (sparse.size > this.sparseLimit) {
      this.dense = new Uint8Array(1 << this.precision);
      for (const k of sparse) setRegister(this.dense, this.precision, k);
      this.sparse = null;
    }
  }

  /** In sparse form, adds the exact hashes to `into` and returns true; false once dense. */
  collectInto(into: Set<number>): boolean {
    if (!this.sparse) return false;
    for (const k of this.sparse) into.add(k);
    return true;
  }

  /** Takes the register-wise maximum into `registers` (length 2^p): the union's sketch. */
  mergeInto(registers: Uint8Array): void {
    if (this.sparse) {
      for (const k of this.sparse) setRegister(registers, this.precision, k);
      return;
    }
    const dense = this.dense ?? registers;
    for (let i = 0; i < registers.length; i++) {
      const r = dense[i] ?? 0;
      if (r > (registers[i] ?? 0)) registers[i] = r;
    }
  }

  get isSparse(): boolean {
    return this.sparse !== null;
  }

  count(): number {
    return countUnion([this]);
  }
}

const LOW_BITS = 2 ** 20;

function setRegister(registers: Uint8Array, p: number, key: number): void {
  const hi = Math.floor(key / LOW_BITS);
  const low = key % LOW_BITS; // 20 bits
  const index = hi >>> (32 - p);
  const rest = (hi << p) >>> 0; // the 32 - p remaining high bits, then zeros
  const rank = rest !== 0 ? Math.clz32(rest) + 1 : low !== 0 ? 32 - p + (Math.clz32(low) - 12) + 1 : 52 - p + 1;
  if (rank > (registers[index] ?? 0)) registers[index] = rank;
}

/**
 * Distinct members in the union of sketches of one precision: exact while all are
 * sparse, the HyperLogLog estimate of the merged registers otherwise.
 */
export function countUnion(sketches: readonly HyperLogLog[]): number {
  const first = sketches[0];
  if (!first) return 0;
  const [base, extra] = sketches;
  const exactPair = sketches.length === 2 && base && extra ? base.exactUnionSize(extra) : undefined;
  if (exactPair !== undefined) return exactPair;
  const exact = new Set<number>();
  if (sketches.every((s) => s.isSparse)) {
    for (const s of sketches) s.collectInto(exact);
    return exact.size;
  }
  const registers = new Uint8Array(1 << first.precision);
  for (const s of sketches) s.mergeInto(registers);
  return estimate(registers);
}

/** Cardinality estimate from 2^p registers, rounded to an integer. */
export function estimate(registers: Uint8Array): number {
  const m = registers.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = registers[i] ?? 0;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  if (zeros === m) return 0;
  const alpha = m >= 128 ? 0.7213 / (1 + 1.079 / m) : m === 64 ? 0.709 : m === 32 ? 0.697 : 0.673;
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
