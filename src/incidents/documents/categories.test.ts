import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allCareDomains } from '../../domain/coverage/care-domain.js';
import { careTypeWords, memberCareTypes, memberWords, registerWords } from './categories.js';

const purposes = ['rights_check', 'coverage', 'engagement'] as const;
const knownCategory = fc.tuple(fc.constantFrom(...purposes), fc.option(fc.constantFrom(...allCareDomains), { nil: undefined }))
  .map(([purpose, domain]) => (domain === undefined ? purpose : `${purpose}:${domain}`));
const french = /[a-zàâçéèêëîïôûùüÿœ’]{3,}/;

describe('exposure categories in words', () => {
  it('puts every known category into French words, without its code', () => {
    fc.assert(fc.property(knownCategory, (category) => {
      for (const words of [registerWords(category), ...memberWords([category])]) {
        expect(words).toMatch(french);
        expect(words).not.toContain('_');
        expect(words).not.toMatch(/\b[A-Z]{3,4}\b/);
      }
    }));
  });

  it('gives a generic wording, never a crash, for what it does not know', () => {
    fc.assert(fc.property(fc.string(), (category) => {
      expect(registerWords(category).length).toBeGreaterThan(0);
      expect(memberWords([category]).join(' ')).toMatch(french);
    }));
    expect(memberWords(['export_bulk:XRAY'])).toEqual(['des informations sur votre complémentaire santé — type de soins : un autre type de soins']);
    expect(memberWords([])).toEqual(['des informations sur votre complémentaire santé']);
  });

  it('groups a member’s care types under each purpose, in the purposes’ order', () => {
    expect(memberWords(['engagement:OPTI', 'rights_check:OPTI', 'rights_check:DENT', 'rights_check:OPTI'])).toEqual([
      'l’existence et l’étendue de vos droits à la complémentaire santé (quelqu’un a vérifié que votre complémentaire vous couvre, et pour quels soins) — types de soins : optique, dentaire',
      'un accord de prise en charge — type de soins : optique',
    ]);
    expect(memberWords(['rights_check'])[0]).toMatch(/^l’existence et l’étendue de vos droits/);
  });

  it('explains the care domains whose names say little', () => {
    expect(careTypeWords('LABO')).toBe('biologie (analyses de laboratoire)');
    expect(careTypeWords('OPTI')).toBe('optique');
    expect(memberCareTypes(['rights_check:PHAR', 'coverage:PHAR', 'rights_check'])).toEqual(['pharmacie']);
  });
});
