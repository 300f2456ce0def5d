import { describe, expect, it } from 'vitest';
import { catalogueJson } from '../test-support/fixtures.js';
import { readCatalogue } from './catalogue-document.js';

type Document = { produits: { versions: { garanties: Record<string, unknown>[] }[] }[] };

/** The test catalogue with the first product's first version's guarantees changed. */
function withGuarantees(change: (guarantees: Record<string, unknown>[]) => Record<string, unknown>[]): unknown {
  const document = JSON.parse(catalogueJson()) as Document;
  const version = document.produits[0]?.versions[0];
  if (version) version.garanties = change(version.garanties);
  return document;
}

describe('guarantees per act family in the catalogue', () => {
  it('reads a catalogue written before families exactly as before, with no family', () => {
    const { catalogue, faults } = readCatalogue(JSON.parse(catalogueJson()));
    expect(faults).toEqual([]);
    const guarantees = catalogue?.products[0]?.versions[0]?.guarantees ?? [];
    expect(guarantees.map((g) => [g.domain, g.label, g.annualCeiling, g.renewalMonths, g.hundredPercentSante, g.families])).toEqual([
      ['PHAR', '100% BR', null, null, false, {}],
      ['MEDE', '200% BR', null, null, false, {}],
      ['OPTI', '100% BR + 200 €', null, 24, true, {}],
    ]);
  });

  it('reads « non couvert » and expressions per family of the guarantee\'s domain', () => {
    const document = withGuarantees((gs) => gs.map((g) => (g.domaine === 'PHAR' ? { ...g, familles: { PHAR15: 'non couvert', PHAR30: 'TM' } } : g)));
    const pharmacy = readCatalogue(document).catalogue?.products[0]?.versions[0]?.guarantees.find((g) => g.domain === 'PHAR');
    expect(pharmacy?.families).toEqual({ PHAR15: 'non couvert', PHAR30: 'TM' });
  });

  it('refuses, with its path, a family of another domain and a wording it cannot read', () => {
    const document = withGuarantees((gs) => gs.map((g) => (g.domaine === 'PHAR' ? { ...g, familles: { MONTURE: '100 €', PHAR15: 'rien' } } : g)));
    const { catalogue, faults } = readCatalogue(document);
    expect(catalogue).toBeUndefined();
    expect(faults.map((f) => [f.path, f.code])).toEqual([
      ['produits[0].versions[0].garanties[0].familles.MONTURE', 'FIELD_INVALID'],
      ['produits[0].versions[0].garanties[0].familles.PHAR15', 'GUARANTEE_EXPRESSION'],
    ]);
  });
});
