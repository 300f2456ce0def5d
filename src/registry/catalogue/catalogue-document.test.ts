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

describe('ceiling periods and per-side ceilings in the catalogue', () => {
  const optics = (extra: Record<string, unknown>): unknown => withGuarantees((gs) => gs.map((g) => (g.domaine === 'OPTI' ? { ...g, plafondAnnuel: 300, ...extra } : g)));
  const opticsOf = (document: unknown): unknown => readCatalogue(document).catalogue?.products[0]?.versions[0]?.guarantees.find((g) => g.domain === 'OPTI');

  it('reads a catalogue written before periods as a calendar year, for the beneficiary', () => {
    const guarantees = readCatalogue(JSON.parse(catalogueJson())).catalogue?.products[0]?.versions[0]?.guarantees ?? [];
    expect(guarantees.map((g) => [g.ceilingPeriodMonths, g.ceilingScope])).toEqual([[null, 'beneficiary'], [null, 'beneficiary'], [null, 'beneficiary']]);
  });

  it('reads rolling months and a ceiling per eye', () => {
    expect(opticsOf(optics({ plafondPeriode: { moisGlissants: 24 }, plafondPar: 'oeil' }))).toMatchObject({ annualCeiling: 30_000, ceilingPeriodMonths: 24, ceilingScope: 'eye' });
    expect(opticsOf(optics({ plafondPeriode: 'annee_civile', plafondPar: 'beneficiaire' }))).toMatchObject({ ceilingPeriodMonths: null, ceilingScope: 'beneficiary' });
  });

  it('refuses, with its path, a period it cannot read, an ear in optics, and a period without a ceiling', () => {
    const faults = (document: unknown): string[][] => readCatalogue(document).faults.map((f) => [f.path, f.code]);
    const at = 'produits[0].versions[0].garanties[2]';
    expect(faults(optics({ plafondPeriode: { moisGlissants: 0 } }))).toEqual([[`${at}.plafondPeriode.moisGlissants`, 'FIELD_INVALID']]);
    expect(faults(optics({ plafondPeriode: 'deux_ans' }))).toEqual([[`${at}.plafondPeriode`, 'FIELD_INVALID']]);
    expect(faults(optics({ plafondPar: 'oreille' }))).toEqual([[`${at}.plafondPar`, 'FIELD_INVALID']]);
    const noCeiling = withGuarantees((gs) => gs.map((g) => (g.domaine === 'OPTI' ? { ...g, plafondPar: 'oeil' } : g)));
    expect(faults(noCeiling)).toEqual([[`${at}.plafondAnnuel`, 'FIELD_MISSING']]);
  });
});

describe('the insurer’s prior agreement terms in the catalogue', () => {
  const withTerms = (terms: unknown): unknown => {
    const document = JSON.parse(catalogueJson()) as { organisme: Record<string, unknown> };
    document.organisme.accordsPrealables = terms;
    return document;
  };

  it('gives a catalogue that says nothing the defaults: six months, no tolerance', () => {
    expect(readCatalogue(JSON.parse(catalogueJson())).catalogue?.insurer.priorAgreements).toEqual({ validityMonths: 6, toleranceCents: 0 });
  });

  it('reads a validity in months and a tolerance in euros, each defaulting alone', () => {
    expect(readCatalogue(withTerms({ validiteMois: 12, toleranceFacturation: '15,50' })).catalogue?.insurer.priorAgreements).toEqual({ validityMonths: 12, toleranceCents: 1550 });
    expect(readCatalogue(withTerms({ toleranceFacturation: 20 })).catalogue?.insurer.priorAgreements).toEqual({ validityMonths: 6, toleranceCents: 2000 });
  });

  it('refuses, with its path, a validity beyond two years, a tolerance beyond 1,000 € or one it cannot read', () => {
    const faults = (terms: unknown): string[][] => readCatalogue(withTerms(terms)).faults.map((f) => [f.path, f.code]);
    expect(faults({ validiteMois: 25 })).toEqual([['organisme.accordsPrealables.validiteMois', 'FIELD_INVALID']]);
    expect(faults({ validiteMois: 0, toleranceFacturation: '1000,01' })).toEqual([
      ['organisme.accordsPrealables.validiteMois', 'FIELD_INVALID'],
      ['organisme.accordsPrealables.toleranceFacturation', 'FIELD_INVALID'],
    ]);
    expect(faults({ toleranceFacturation: '-5' })).toEqual([['organisme.accordsPrealables.toleranceFacturation', 'FIELD_INVALID']]);
    expect(faults('six mois')).toEqual([['organisme.accordsPrealables', 'FIELD_INVALID']]);
  });
});
