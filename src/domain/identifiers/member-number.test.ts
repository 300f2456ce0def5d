import { describe, expect, it } from 'vitest';
import { parseMemberNumber } from './member-number.js';

describe('parseMemberNumber', () => {
  it('trims and uppercases', () => {
    expect(parseMemberNumber('  ab-1234/5.6 ')).toEqual({ ok: true, value: 'AB-1234/5.6' });
  });

  it('accepts from 1 to 30 characters', () => {
    expect(parseMemberNumber('7').ok).toBe(true);
    expect(parseMemberNumber('A'.repeat(30)).ok).toBe(true);
  });

  it.each([
    ['', 'IDENTIFIER_EMPTY'],
    ['   ', 'IDENTIFIER_EMPTY'],
    ['A'.repeat(31), 'IDENTIFIER_LENGTH'],
    ['AB 1234', 'IDENTIFIER_CHARACTERS'],
    ['ÉLODIE01', 'IDENTIFIER_CHARACTERS'],
    ['1234_56', 'IDENTIFIER_CHARACTERS'],
  ])('rejects %j with %s', (input, code) => {
    expect(parseMemberNumber(input)).toMatchObject({ ok: false, error: { code, identifier: 'memberNumber' } });
  });
});
