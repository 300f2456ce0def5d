import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chance, pick, seededRng } from './random.js';
import type { Rng } from './random.js';

function draw(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.int(0, 1_000_000));
}

describe('seededRng', () => {
  it('replays the same stream for the same seed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string()), (seed) => {
        expect(draw(seededRng(seed), 20)).toEqual(draw(seededRng(seed), 20));
      }),
    );
  });

  it('gives different streams to different seeds, including seeds equal modulo 2³²', () => {
    expect(draw(seededRng(1), 5)).not.toEqual(draw(seededRng(2), 5));
    expect(draw(seededRng(0), 5)).not.toEqual(draw(seededRng(2 ** 32), 5));
    expect(draw(seededRng('alpha'), 5)).not.toEqual(draw(seededRng('beta'), 5));
  });

  it('stays within the inclusive bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, width) => {
        const rng = seededRng(seed);
        for (let i = 0; i < 20; i += 1) {
          const value = rng.int(min, min + width);
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(min + width);
        }
      }),
    );
  });

  it('refuses an empty or non-integer range', () => {
    const rng = seededRng(1);
    expect(() => rng.int(2, 1)).toThrow(RangeError);
    expect(() => rng.int(0, 1.5)).toThrow(RangeError);
  });
});

describe('pick and chance', () => {
  it('picks every item of a list, and only them', () => {
    const rng = seededRng('pick');
    const seen = new Set(Array.from({ length: 200 }, () => pick(rng, ['a', 'b', 'c'])));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => pick(seededRng(1), [])).toThrow(RangeError);
  });

  it('never happens at 0 and always at 1', () => {
    const rng = seededRng('chance');
    for (let i = 0; i < 100; i += 1) {
      expect(chance(rng, 0)).toBe(false);
      expect(chance(rng, 1)).toBe(true);
    }
  });

  it('happens about as often as asked', () => {
    const rng = seededRng('frequency');
    const hits = Array.from({ length: 10_000 }, () => chance(rng, 0.3)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(2700);
    expect(hits).toBeLessThan(3300);
  });
});
