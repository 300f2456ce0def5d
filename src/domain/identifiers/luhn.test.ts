import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, luhnCheckDigit } from './luhn.js';

describe('Luhn', () => {
  it('accepts the textbook example and rejects its neighbours', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(isLuhnValid('79927398714')).toBe(false);
  });

  it('computes the check digit of the textbook example', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
  });

  it('keeps leading zeros meaningful', () => {
    expect(luhnCheckDigit('0000000000')).toBe('0');
    expect(isLuhnValid('0000000018')).toBe(true);
  });

  it('always produces a digit that makes the whole valid', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,20}$/), (payload) => {
        const key = luhnCheckDigit(payload);
        expect(key).toMatch(/^\d$/);
        expect(isLuhnValid(payload + key)).toBe(true);
      }),
    );
  });
});
