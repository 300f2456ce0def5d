import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../random.js';
import { generateRpps } from './generate.js';
import { parseRpps } from './rpps.js';
import { oneDigitSubstitutions } from './test-support/mutations.js';

describe('parseRpps', () => {
  it('accepts 11 digits whose last is the Luhn key, with or without spaces', () => {
    expect(parseRpps('10000000009')).toEqual({ ok: true, value: '10000000009' });
    expect(parseRpps(' 101 2345 6781 ')).toEqual({ ok: true, value: '10123456781' });
  });

  it.each([
    ['', 'IDENTIFIER_EMPTY'],
    ['1012345678', 'IDENTIFIER_LENGTH'],
    ['101234567812', 'IDENTIFIER_LENGTH'],
    ['1012345678A', 'IDENTIFIER_CHARACTERS'],
    ['810123456781', 'IDENTIFIER_LENGTH'],
    ['10123456782', 'IDENTIFIER_KEY'],
  ])('rejects %j with %s', (input, code) => {
    expect(parseRpps(input)).toMatchObject({ ok: false, error: { code, identifier: 'rpps' } });
  });

  it('rejects every change of one digit into another, at every position', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        for (const changed of oneDigitSubstitutions(generateRpps(seededRng(seed)))) {
          expect(parseRpps(changed).ok, changed).toBe(false);
        }
      }),
    );
  });

  it('rejects every swap of two different adjacent digits, except 0 and 9 which Luhn cannot see', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rpps = generateRpps(seededRng(seed));
        for (let i = 0; i < rpps.length - 1; i += 1) {
          const [a, b] = [rpps.charAt(i), rpps.charAt(i + 1)];
          if (a === b || `${a}${b}` === '09' || `${a}${b}` === '90') continue;
          expect(parseRpps(`${rpps.slice(0, i)}${b}${a}${rpps.slice(i + 2)}`).ok).toBe(false);
        }
      }),
    );
  });
});
