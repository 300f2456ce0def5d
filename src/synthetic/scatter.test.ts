import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scatter } from './scatter.js';

describe('Scatter', () => {
  it('is a bijection of [0, size) whatever the offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000 }), fc.nat(), (size, offset) => {
        const scatter = new Scatter(size);
        const values = Array.from({ length: size }, (_, i) => scatter.at(i, offset));
        return new Set(values).size === size && values.every((v) => v >= 0 && v < size);
      }),
    );
  });

  it('refuses to lap the space or to lose precision', () => {
    expect(() => new Scatter(10).at(10)).toThrow(RangeError);
    expect(() => new Scatter(10 ** 9)).toThrow(RangeError);
  });
});
