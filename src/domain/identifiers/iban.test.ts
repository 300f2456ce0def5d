import { describe, expect, it } from 'vitest';
import { parseIban } from './iban.js';

// Specimen IBANs published by banks and the IBAN registry, not real accounts.
const FRENCH_SPECIMEN = 'FR7630006000011234567890189';

describe('parseIban', () => {
  it('accepts an IBAN and returns it in electronic format', () => {
    expect(parseIban('fr76 3000 6000 0112 3456 7890 189')).toEqual({ ok: true, value: FRENCH_SPECIMEN });
    expect(parseIban('FR76-3000-6000-0112-3456-7890-189\n')).toEqual({ ok: true, value: FRENCH_SPECIMEN });
    expect(parseIban('DE89 3704 0044 0532 0130 00')).toEqual({ ok: true, value: 'DE89370400440532013000' });
  });

  it.each([
    ['', 'IDENTIFIER_EMPTY'],
    ['  ', 'IDENTIFIER_EMPTY'],
    ['XX7630006000011234567890189', 'IBAN_COUNTRY'],
    ['FR763000600001123456789018', 'IDENTIFIER_LENGTH'],
    ['FR76.3000.6000.0112.3456.7890.189', 'IDENTIFIER_CHARACTERS'],
    ['FRAB30006000011234567890189', 'IDENTIFIER_CHARACTERS'],
    ['FR7730006000011234567890189', 'IDENTIFIER_KEY'],
    ['FR7630006000011234567890188', 'IDENTIFIER_KEY'],
  ])('rejects %j with %s', (input, code) => {
    expect(parseIban(input)).toMatchObject({ ok: false, error: { code, identifier: 'iban' } });
  });
});
