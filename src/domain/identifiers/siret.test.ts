import { describe, expect, it } from 'vitest';
import { parseSiret } from './siret.js';

describe('parseSiret', () => {
  it('accepts 14 digits with a Luhn key, printed in groups or not', () => {
    expect(parseSiret('123 456 782 00010')).toEqual({ ok: true, value: '12345678200010' });
    expect(parseSiret('73282932000074')).toEqual({ ok: true, value: '73282932000074' }); // INSEE's own example
  });

  it("accepts La Poste's establishments, whose digits add up to a multiple of 5", () => {
    expect(parseSiret('35600000012341').ok).toBe(true);
    expect(parseSiret('35600000012346').ok).toBe(true);
    expect(parseSiret('35600000012342')).toMatchObject({ ok: false, error: { code: 'IDENTIFIER_KEY' } });
  });

  it("accepts La Poste's head office, the only one of its SIRETs keyed by Luhn", () => {
    expect(parseSiret('35600000000048').ok).toBe(true);
    // Luhn-valid but not a multiple of 5: not how La Poste's establishments are keyed.
    expect(parseSiret('35600000012340').ok).toBe(false);
  });

  it.each([
    ['', 'IDENTIFIER_EMPTY'],
    ['1234567820001', 'IDENTIFIER_LENGTH'],
    ['1234567820001O', 'IDENTIFIER_CHARACTERS'],
    ['12345678200011', 'IDENTIFIER_KEY'],
    ['12345678300018', 'IDENTIFIER_KEY'], // Luhn-valid as a whole, but its SIREN is not
  ])('rejects %j with %s', (input, code) => {
    expect(parseSiret(input)).toMatchObject({ ok: false, error: { code, identifier: 'siret' } });
  });
});
