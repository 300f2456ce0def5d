import { describe, expect, it } from 'vitest';
import { allCareDomains } from '../domain/coverage/care-domain.js';
import { parseFamilyExpression, parseGuaranteeExpression } from '../domain/coverage/guarantee-expression.js';
import { seededRng } from '../domain/random.js';
import { generateProducts } from './products.js';
import type { Guarantee, ProductOffer } from './products.js';

const ranges: ProductOffer[][] = Array.from({ length: 40 }, (_, i) => generateProducts(seededRng(`gamme-${i}`), 2026));
const offers = ranges.flat();

function guarantee(offer: ProductOffer, version: number, domain: string): Guarantee | undefined {
  return offer.product.versions[version]?.garanties.find((g) => g.domaine === domain);
}

describe('generateProducts', () => {
  it('offers every level, responsible contracts covering every care domain', () => {
    for (const range of ranges) {
      expect(new Set(range.map((offer) => offer.product.niveau))).toEqual(new Set(['entree', 'intermediaire', 'confort', 'premium']));
      expect(new Set(range.map((offer) => offer.product.code)).size).toBe(range.length);
    }
    for (const offer of offers.filter((o) => o.product.responsable)) expect(offer.domains).toEqual(allCareDomains);
  });

  it('sells about 98% responsible contracts', () => {
    for (const range of ranges) {
      const total = range.reduce((sum, offer) => sum + offer.weight, 0);
      const responsible = range.filter((offer) => offer.product.responsable).reduce((sum, offer) => sum + offer.weight, 0);
      expect(responsible / total).toBeCloseTo(0.98, 2);
    }
  });

  it('writes expressions, ceilings and renewals the catalogue format accepts', () => {
    for (const g of offers.flatMap((offer) => offer.product.versions.flatMap((version) => version.garanties))) {
      expect(parseGuaranteeExpression(g.expression).ok, g.expression).toBe(true);
      if (g.plafondAnnuel !== undefined) expect(g.plafondAnnuel).toMatch(/^\d+$/);
      if (g.renouvellementMois !== undefined) expect(g.renouvellementMois).toBeGreaterThan(0);
      for (const wording of Object.values(g.familles ?? {})) expect(parseFamilyExpression(wording).ok, wording).toBe(true);
    }
  });

  it('follows the level: 100% BR + 100 € glasses at entry, FR hospital and capped 400% BR dental at premium', () => {
    for (const offer of offers.filter((o) => o.product.niveau === 'entree' && o.product.responsable)) {
      expect(guarantee(offer, 0, 'OPTI')).toEqual({ domaine: 'OPTI', expression: '100% BR + 100 €', renouvellementMois: 24, cent100Sante: true, familles: { MONTURE: '100 €' } });
      expect(guarantee(offer, 0, 'PHAR')).toMatchObject({ expression: '100% BR', familles: { PHAR15: 'non couvert' } });
    }
    for (const offer of offers.filter((o) => o.product.niveau === 'premium')) {
      expect(guarantee(offer, 0, 'HOSP')?.expression).toBe('FR');
      expect(guarantee(offer, 0, 'OPTI')?.expression).toBe('100% BR + 400 €');
      expect(guarantee(offer, 0, 'DENT')).toMatchObject({ expression: '400% BR', plafondAnnuel: '1500', cent100Sante: true });
      expect(guarantee(offer, 0, 'MEDE')?.expression).toBe('300% BR');
    }
  });

  it('writes rolling ceilings at the upper levels: glasses over 24 months, per eye at premium, hearing aids per ear over 48 months', () => {
    for (const offer of offers.filter((o) => o.product.niveau === 'confort')) {
      expect(guarantee(offer, 0, 'OPTI')).toMatchObject({ plafondAnnuel: '500', plafondPeriode: { moisGlissants: 24 } });
      expect(guarantee(offer, 0, 'OPTI')?.plafondPar).toBeUndefined();
    }
    for (const offer of offers.filter((o) => o.product.niveau === 'premium')) {
      expect(guarantee(offer, 0, 'OPTI')).toMatchObject({ plafondAnnuel: '450', plafondPeriode: { moisGlissants: 24 }, plafondPar: 'oeil' });
      expect(guarantee(offer, 0, 'AUDI')).toMatchObject({ plafondAnnuel: '1700', plafondPeriode: { moisGlissants: 48 }, plafondPar: 'oreille' });
    }
    for (const offer of offers.filter((o) => o.product.niveau === 'entree')) expect(guarantee(offer, 0, 'AUDI')?.plafondPeriode).toBeUndefined();
  });

  it('flags the 100% Santé baskets on optical, dental and hearing only', () => {
    for (const g of offers.filter((o) => o.product.responsable).flatMap((o) => o.product.versions.flatMap((v) => v.garanties))) {
      expect(g.cent100Sante === true).toBe(['OPTI', 'DENT', 'AUDI'].includes(g.domaine));
    }
  });

  it('has a closed version for last year and an open one from 1 January that improves two or three guarantees', () => {
    for (const { product } of offers) {
      const [previous, current] = product.versions;
      expect(previous).toMatchObject({ version: 1, debut: '2025-01-01', fin: '2025-12-31' });
      expect(current).toMatchObject({ version: 2, debut: '2026-01-01', fin: null });
      const changed = current?.garanties.filter((g, i) => JSON.stringify(g) !== JSON.stringify(previous?.garanties[i])) ?? [];
      expect(changed.length).toBeGreaterThanOrEqual(product.responsable ? 2 : 1);
      expect(changed.length).toBeLessThanOrEqual(3);
      expect(current?.garanties.map((g) => g.domaine)).toEqual(previous?.garanties.map((g) => g.domaine));
    }
  });
});
