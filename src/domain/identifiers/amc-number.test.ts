import { describe, expect, it } from 'vitest';
import { parseAmcNumber } from './amc-number.js';

describe('parseAmcNumber', () => {
  it.each(['12345678', '123456789', '0123456789'])('accepts %s, leading zeros included', (amc) => {
    expect(parseAmcNumber(amc)).toEqual({ ok: true, value: amc });
  });

  it('removes spaces', () => {
    expect(parseAmcNumber(' 123 456 789 ')).toEqual({ ok: true, value: '123456789' });
  });

  it.each([
    ['', 'IDENTIFIER_EMPTY'],
    ['1234567', 'IDENTIFIER_LENGTH'],
    ['12345678901', 'IDENTIFIER_LENGTH'],
    ['1234567A9', 'IDENTIFIER_CHARACTERS'],
  ])('rejects %j with %s', (input, code) => {
    expect(parseAmcNumber(input)).toMatchObject({ ok: false, error: { code, identifier: 'amcNumber' } });
  });
});
