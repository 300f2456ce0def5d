/** The golden ratio's fractional part: consecutive indexes land far apart in the space. */
const GOLDEN = 0.618_033_988_75;

/**
 * A bijection of [0, size) for any fixed offset: `index × multiplier + offset (mod size)`,
 * with a multiplier coprime with `size`. Numbering things from a counter through it makes
 * identifiers unique by construction (no set of seen values, so memory stays flat at any
 * volume) while they still look scattered rather than sequential.
 */
export class Scatter {
  private readonly multiplier: number;

  constructor(readonly size: number) {
    let multiplier = Math.round(size * GOLDEN);
    while (gcd(multiplier, size) !== 1) multiplier += 1;
    // index × multiplier must stay exact in a double.
    if (!Number.isSafeInteger(size * multiplier)) throw new RangeError(`Scatter of ${size} too large for safe integers`);
    this.multiplier = multiplier;
  }

  /** @throws RangeError once the space is exhausted: a second lap would repeat values. */
  at(index: number, offset = 0): number {
    if (index < 0 || index >= this.size) throw new RangeError(`Index ${index} outside [0, ${this.size})`);
    return (index * this.multiplier + offset) % this.size;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
