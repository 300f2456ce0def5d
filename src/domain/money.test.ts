import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents, formatEuros, parseEuros } from './money.js';

describe('money in integer cents', () => {
  it.each([
    ['150', 15000],
    ['150.5', 15050],
    ['150,50', 15050],
    ['1 500,00', 150000],
    ['0,07', 7],
  ])('reads %s euros', (text, expected) => {
    expect(parseEuros(text)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '-1', '1,234', '1e3', 'abc', '12,'])('refuses %j', (text) => {
    expect(parseEuros(text).ok).toBe(false);
  });

  it('never holds a fraction of a cent', () => {
    expect(() => cents(1.5)).toThrow(RangeError);
  });

  it('reads back any amount it formats, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (amount) => {
        const text = formatEuros(cents(amount)).replace(' €', '');
        expect(parseEuros(text)).toEqual({ ok: true, value: amount });
      }),
    );
  });
});
