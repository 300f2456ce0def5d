import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** The only source of randomness synthetic data may use, so that a seed replays a data set. */
export interface Rng {
  int(minInclusive: number, maxInclusive: number): number;
}

/** A deterministic Rng: the same seed always yields the same stream (xoroshiro128+). */
export function seededRng(seed: number | string): Rng {
  const generator = xoroshiro128plus(toSeed32(seed));
  return {
    int(minInclusive: number, maxInclusive: number): number {
      if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxInclusive) || minInclusive > maxInclusive) {
        throw new RangeError(`Invalid range [${minInclusive}, ${maxInclusive}]`);
      }
      return uniformInt(generator, minInclusive, maxInclusive);
    },
  };
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('Cannot pick from an empty list');
  return items[rng.int(0, items.length - 1)] as T;
}

/** True with probability `p` (to a millionth). */
export function chance(rng: Rng, p: number): boolean {
  return rng.int(0, 999_999) < p * 1_000_000;
}

/**
 * xoroshiro128plus keeps only 32 bits of a numeric seed; other numbers and strings are hashed
 * (FNV-1a) so that distinct seeds such as 0 and 2**32 do not silently replay the same stream.
 */
function toSeed32(seed: number | string): number {
  if (typeof seed === 'number' && (seed | 0) === seed) return seed;
  let hash = 0x811c9dc5;
  for (const char of String(seed)) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193);
  return hash | 0;
}
