import { describe, expect, it } from 'vitest';
import { parseFiness } from './finess.js';

describe('parseFiness', () => {
  it.each(['751234568', '123456782', '971234562', '2A0012342'])('accepts %s', (finess) => {
    expect(parseFiness(finess)).toEqual({ ok: true, value: finess });
  });

  it('normalises spaces and a lowercase Corsican letter', () => {
    expect(parseFiness('75 123 456 8')).toEqual({ ok: true, value: '751234568' });
    expect(parseFiness('2b0012342')).toEqual({ ok: true, value: '2B0012342' });
  });

  it('keys 2A and 2B alike (documented choice: both read as 20)', () => {
    expect(parseFiness('2A0012342').ok).toBe(true);
    expect(parseFiness('2B0012342').ok).toBe(true);
  });

  it.each([
    ['', 'IDENTIFIER_EMPTY'],
    ['75123456', 'IDENTIFIER_LENGTH'],
    ['7512345680', 'IDENTIFIER_LENGTH'],
    ['75123X568', 'IDENTIFIER_CHARACTERS'],
    ['75A234568', 'IDENTIFIER_CHARACTERS'],
    ['2C0012342', 'IDENTIFIER_CHARACTERS'],
    ['000012342', 'FINESS_DEPARTMENT'],
    ['200012342', 'FINESS_DEPARTMENT'],
    ['960012342', 'FINESS_DEPARTMENT'],
    ['990012342', 'FINESS_DEPARTMENT'],
    ['751234569', 'IDENTIFIER_KEY'],
  ])('rejects %j with %s', (input, code) => {
    expect(parseFiness(input)).toMatchObject({ ok: false, error: { code, identifier: 'finess' } });
  });
});
