import { describe, expect, it } from 'vitest';
import { parseSiren } from './siren.js';

describe('parseSiren', () => {
  it('accepts 9 digits with a Luhn key, with or without spaces', () => {
    expect(parseSiren('123 456 782')).toEqual({ ok: true, value: '123456782' });
    expect(parseSiren('356000000')).toEqual({ ok: true, value: '356000000' });
  });

  it.each([
    ['', 'IDENTIFIER_EMPTY'],
    ['12345678', 'IDENTIFIER_LENGTH'],
    ['12345678A', 'IDENTIFIER_CHARACTERS'],
    ['123456783', 'IDENTIFIER_KEY'],
  ])('rejects %j with %s', (input, code) => {
    expect(parseSiren(input)).toMatchObject({ ok: false, error: { code, identifier: 'siren' } });
  });
});
