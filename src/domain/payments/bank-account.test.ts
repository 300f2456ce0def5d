import fc from 'fast-check';
import { composeIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { oneDigitSubstitutions } from '../identifiers/test-support/mutations.js';
import { HOLDER_MAX, maskIban, parseBankAccount, parseBic, parseHolder } from './bank-account.js';

// Specimen IBANs published by banks and the IBAN registry, not real accounts.
const SPECIMENS: Readonly<Record<string, string>> = {
  FR: 'FR7630006000011234567890189',
  DE: 'DE89370400440532013000',
  BE: 'BE68539007547034',
  ES: 'ES9121000418450200051332',
  IT: 'IT60X0542811101000000123456',
  NL: 'NL91ABNA0417164300',
};
const countries = Object.keys(SPECIMENS);

const letters = (length: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: length, maxLength: length });
const alnum = (length: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: length, maxLength: length });
/** A BIC of a country: bank code, country, location, and a branch or none. */
const bicOf = (country: string): fc.Arbitrary<string> =>
  fc.tuple(letters(4), alnum(2), fc.option(alnum(3), { nil: '' })).map(([bank, location, branch]) => `${bank}${country}${location}${branch}`);

/** A French IBAN with its RIB key (the national check ibantools applies) and its IBAN key. */
const frenchIban = fc.tuple(fc.stringMatching(/^[0-9]{5}$/), fc.stringMatching(/^[0-9]{5}$/), fc.stringMatching(/^[0-9]{11}$/)).map(([bank, branch, account]) => {
  const ribKey = 97 - Number((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n);
  return composeIBAN({ countryCode: 'FR', bban: `${bank}${branch}${account}${String(ribKey).padStart(2, '0')}` }) ?? '';
});

describe('a bank account: IBAN, BIC of the same country, holder', () => {
  it('accepts any well-formed BIC of the IBAN’s country, spaces and case forgiven', () => {
    fc.assert(fc.property(fc.constantFrom(...countries).chain((c) => fc.tuple(fc.constant(c), bicOf(c))), ([country, bic]) => {
      const parsed = parseBankAccount({ iban: SPECIMENS[country] ?? '', bic: ` ${bic.toLowerCase()} `, holder: 'Pharmacie du Port' });
      expect(parsed).toEqual({ ok: true, value: { iban: SPECIMENS[country], bic, holder: 'Pharmacie du Port' } });
    }));
  });

  it('accepts generated French IBANs with a French BIC, and shows only their last four characters', () => {
    fc.assert(fc.property(frenchIban, bicOf('FR'), (iban, bic) => {
      const parsed = parseBankAccount({ iban, bic, holder: 'SELARL Pharmacie' });
      expect(parsed.ok).toBe(true);
      const masked = maskIban(iban);
      expect(masked.slice(-4)).toBe(iban.slice(-4));
      expect(masked.slice(0, -4)).toMatch(/^•+$/);
    }));
  });

  it('refuses a BIC of another country than the IBAN’s: a French IBAN with a German BIC is a mistake or a diversion', () => {
    const pairs = fc.tuple(fc.constantFrom(...countries), fc.constantFrom(...countries)).filter(([a, b]) => a !== b);
    fc.assert(fc.property(pairs.chain(([iban, bic]) => fc.tuple(fc.constant(iban), bicOf(bic))), ([country, bic]) => {
      expect(parseBankAccount({ iban: SPECIMENS[country] ?? '', bic, holder: 'X' })).toMatchObject({ ok: false, error: { code: 'BIC_COUNTRY_MISMATCH' } });
    }));
  });

  it('accepts a French overseas bank’s BIC with a French IBAN, not with a German one', () => {
    fc.assert(fc.property(fc.constantFrom('RE', 'GP', 'MQ', 'GF', 'YT', 'NC').chain(bicOf), (bic) => {
      expect(parseBankAccount({ iban: SPECIMENS.FR ?? '', bic, holder: 'X' }).ok).toBe(true);
      expect(parseBankAccount({ iban: SPECIMENS.DE ?? '', bic, holder: 'X' })).toMatchObject({ ok: false, error: { code: 'BIC_COUNTRY_MISMATCH' } });
    }));
  });

  it('refuses a BIC of the wrong length or shape, or of no country', () => {
    fc.assert(fc.property(fc.string({ maxLength: 14 }).filter((s) => ![8, 11].includes(s.replace(/\s+/g, '').length)), (bic) => {
      expect(parseBic(bic)).toMatchObject({ ok: false, error: { code: 'BIC_INVALID' } });
    }));
    for (const bic of ['BNP1FRPP', 'BNPAXXPP', 'BNPAFRP!', 'BNPAFRPPXX']) expect(parseBic(bic)).toMatchObject({ ok: false, error: { code: 'BIC_INVALID' } });
  });

  it('refuses an IBAN with a wrong key, whatever digit was mistyped, before looking at the BIC', () => {
    for (const iban of oneDigitSubstitutions(SPECIMENS.FR ?? '').slice(0, 60)) {
      expect(parseBankAccount({ iban, bic: 'BNPAFRPP', holder: 'X' })).toMatchObject({ ok: false, error: { code: 'IDENTIFIER_KEY' } });
    }
  });

  it('takes a holder of 1 to 70 characters, white space collapsed, and nothing else', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: HOLDER_MAX }).filter((s) => /^\S+$/u.test(s) && ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)), (name) => {
      expect(parseHolder(`  ${name}  `)).toEqual({ ok: true, value: name });
    }));
    for (const holder of ['', '   ', 'x'.repeat(HOLDER_MAX + 1), 'Pharmacie\u0000']) {
      expect(parseHolder(holder)).toMatchObject({ ok: false, error: { code: 'BANK_HOLDER_INVALID' } });
    }
    expect(parseHolder('Pharmacie \n  du   Port')).toEqual({ ok: true, value: 'Pharmacie du Port' });
  });
});
