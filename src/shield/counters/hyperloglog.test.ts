import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.js';
import { MemoryDistinctCounter } from './memory-distinct-counter.js';
import { HOUR_MS } from '../../domain/dates.js';
import { MINUTE_MS } from './distinct-counter.js';

describe('HyperLogLog sketch', () => {
  it('stays within 10 % of the true number of distinct members, from 1 to 20,000', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20_000 }), fc.string({ maxLength: 8 }), async (n, prefix) => {
        const counter = new MemoryDistinctCounter();
        const now = 1_700_000_000_000;
        for (let i = 0; i < n; i++) await counter.add('k', `${prefix}/${i}`, now + (i % 3) * MINUTE_MS);
        const estimate = await counter.count('k', HOUR_MS, now + 2 * MINUTE_MS);
        expect(Math.abs(estimate - n) / n).toBeLessThan(0.1);
      }),
      { numRuns: 40 },
    );
  });

  it('never counts a duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 300 }), async (members) => {
        const counter = new MemoryDistinctCounter();
        const now = 1_700_000_000_000;
        for (const m of members) await counter.add('k', m, now);
        const before = await counter.count('k', MINUTE_MS, now);
        for (const m of members) await counter.add('k', m, now);
        expect(await counter.count('k', MINUTE_MS, now)).toBe(before);
      }),
    );
  });

  it('gives the same registers whatever the order of the hashes, sparse or dense', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff)), { maxLength: 500 }), (hashes) => {
        const forward = new HyperLogLog(10);
        const backward = new HyperLogLog(10);
        for (const [hi, lo] of hashes) forward.addHash(hi, lo);
        for (const [hi, lo] of [...hashes].reverse()) backward.addHash(hi, lo);
        expect(forward.count()).toBe(backward.count());
      }),
    );
  });

  it('counts a union of parts, sparse or dense, as the sketch of all its hashes', () => {
    const hash = fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff));
    fc.assert(
      fc.property(fc.array(fc.array(hash, { maxLength: 1_500 }), { minLength: 1, maxLength: 4 }), (parts) => {
        const whole = new HyperLogLog(10);
        const union = new HyperLogLog(10, Infinity);
        for (const part of parts) {
          const sketch = new HyperLogLog(10);
          for (const [hi, lo] of part) {
            sketch.addHash(hi, lo);
            whole.addHash(hi, lo);
          }
          union.absorb(sketch);
        }
        if (!whole.isSparse) union.densify();
        expect(union.count()).toBe(whole.count());
      }),
      { numRuns: 60 },
    );
  });

  it('counts exactly while every bucket holds at most 128 members', async () => {
    const counter = new MemoryDistinctCounter();
    const now = 1_700_000_000_000;
    for (let n = 1; n <= 128; n++) {
      await counter.add(`k${n}`, 'x', now);
      for (let i = 1; i < n; i++) await counter.add(`k${n}`, `m${i}`, now);
      expect(Math.abs((await counter.count(`k${n}`, MINUTE_MS, now)) - n)).toBe(0);
    }
  });

  it('rejects a precision outside [4, 16]', () => {
    expect(() => new HyperLogLog(3)).toThrow(RangeError);
    expect(() => new HyperLogLog(17)).toThrow(RangeError);
  });
});
