import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SparseKeys } from './sparse-keys.js';

const key52 = fc.tuple(fc.nat(2 ** 20 - 1), fc.nat(0xffffffff)).map(([hi, lo]) => hi * 2 ** 32 + lo);

describe('the exact form of a sketch: a set of 52-bit keys', () => {
  it('holds each key once, whatever the keys and their repeats, as a Set does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(key52, fc.constantFrom(0, 2 ** 52 - 1, 2 ** 32, 1)), { maxLength: 600 }), (keys) => {
        const set = new SparseKeys();
        const reference = new Set<number>();
        for (const key of keys) {
          const fresh = !reference.has(key);
          reference.add(key);
          expect(set.add(key)).toBe(fresh);
        }
        const held: number[] = [];
        set.forEach((key) => held.push(key));
        expect(set.size).toBe(reference.size);
        expect(held.sort((a, b) => a - b)).toEqual([...reference].sort((a, b) => a - b));
      }),
    );
  });

  it('keeps keys whose low 32 bits collide apart', () => {
    const set = new SparseKeys();
    const keys = Array.from({ length: 40 }, (_, i) => i * 2 ** 32 + 7);
    for (const key of keys) expect(set.add(key)).toBe(true);
    for (const key of keys) expect(set.add(key)).toBe(false);
    expect(set.size).toBe(keys.length);
  });
});
