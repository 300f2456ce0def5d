import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSepaLatin } from './sepa-latin.js';

describe('toSepaLatin', () => {
  it.each([
    ['Pharmacie de l’Étoile & Fils', "Pharmacie de l'Etoile Fils"],
    ['Pharmacie de l\'Étoile & Fils', "Pharmacie de l'Etoile Fils"],
    ['Œil de Lynx — Opticiens', 'OEil de Lynx - Opticiens'],
    ['Cœur d’Alène, Ça va à Noël ?', "Coeur d'Alene, Ca va a Noel ?"],
    ['Dr\u00a0Müller\u202fß\tGrüße', 'Dr Muller ss Grusse'],
    ['« Société » n° 12 (€) + 5%', 'Societe n 12 () + 5'],
  ])('writes %j as %j', (input, output) => {
    expect(toSepaLatin(input)).toBe(output);
  });

  it('leaves only SEPA characters, single spaces and no space at either end, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const latin = toSepaLatin(text);
        expect(latin).toMatch(/^[a-zA-Z0-9/\-?:().,'+ ]*$/);
        expect(latin).not.toMatch(/ {2}|^ | $/);
        expect(toSepaLatin(latin)).toBe(latin);
      }),
    );
  });
});
