import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { loadFile } from '../ingest/load-file.js';
import { silentProgress } from '../ingest/progress.js';
import { catalogueJson, scratchDir, testVault, writeFixture } from '../test-support/fixtures.js';

type Document = { produits: { code: string; libelle: string; versions: { garanties: Record<string, unknown>[] }[] }[] };

/** The test catalogue, plus a product whose pharmacy guarantee says what it pays on 15 % and 30 % medicines. */
function withFamilyProduct(): string {
  const document = JSON.parse(catalogueJson()) as Document;
  const essential = document.produits[0];
  if (essential) {
    const versions = essential.versions.map((v) => ({
      ...v,
      garanties: v.garanties.map((g) => (g.domaine === 'PHAR' ? { ...g, familles: { PHAR15: 'non couvert', PHAR30: 'TM' } } : g)),
    }));
    document.produits.push({ ...essential, code: 'CONF', libelle: 'Confort', versions });
  }
  return JSON.stringify(document);
}

describe('loading catalogues with guarantees per act family', () => {
  let t: TestDatabase;
  const vault = testVault();
  const dir = scratchDir();
  const load = (name: string, content: string): ReturnType<typeof loadFile> =>
    loadFile(t.db, vault, writeFixture(dir, name, content), { progress: () => silentProgress });
  const families = (): Promise<{ code: string; families: unknown }[]> =>
    t.db.transaction({ insurerId: 1 }, async (tx) => (await tx.query<{ code: string; families: unknown }>(
      "SELECT p.code, g.families FROM guarantee g JOIN product p ON p.insurer_id = g.insurer_id AND p.id = g.product_id WHERE g.care_domain = 'PHAR' ORDER BY p.code")).rows);

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('keeps loading an old catalogue unchanged, beside a product with families', async () => {
    expect((await load('old.json', catalogueJson())).status).toBe('applied');
    expect(await families()).toEqual([{ code: 'ESS', families: {} }]);
    expect((await load('old-again.json', `${catalogueJson()}\n`)).status).toBe('applied');
    expect((await load('next.json', withFamilyProduct())).status).toBe('applied');
    expect(await families()).toEqual([
      { code: 'CONF', families: { PHAR15: 'non couvert', PHAR30: 'TM' } },
      { code: 'ESS', families: {} },
    ]);
  });

  it('refuses to change a published version by adding families to it', async () => {
    const spoiled = JSON.parse(catalogueJson()) as { produits: { versions: { garanties: Record<string, unknown>[] }[] }[] };
    const version = spoiled.produits[0]?.versions[0];
    if (version) version.garanties = version.garanties.map((g) => (g.domaine === 'PHAR' ? { ...g, familles: { PHAR15: 'non couvert' } } : g));
    const summary = await load('spoiled.json', JSON.stringify(spoiled));
    expect(summary.status === 'refused' ? summary.code : summary.status).toBe('FIELD_INVALID');
  });

  it('stores the insurer’s prior agreement terms, and its defaults again once the catalogue says nothing', async () => {
    const terms = (): Promise<unknown> => t.db.transaction({ insurerId: 1 }, async (tx) => (await tx.query(
      'SELECT prior_agreement_validity_months AS months, prior_agreement_tolerance_cents AS cents FROM insurer WHERE id = 1')).rows[0]);
    const document = JSON.parse(catalogueJson()) as { organisme: Record<string, unknown> };
    document.organisme.accordsPrealables = { validiteMois: 9, toleranceFacturation: '12,5' };
    expect((await load('terms.json', JSON.stringify(document))).status).toBe('applied');
    expect(await terms()).toEqual({ months: 9, cents: 1250 });
    expect((await load('terms-gone.json', `${catalogueJson()}\n\n`)).status).toBe('applied');
    expect(await terms()).toEqual({ months: 6, cents: 0 });
  });

  it('stores a rolling period and a per-ear ceiling, and the older guarantees as a calendar year for the beneficiary', async () => {
    const document = JSON.parse(catalogueJson()) as Document;
    const essential = document.produits[0];
    if (essential) {
      const audio = { domaine: 'AUDI', expression: '100% BR', plafondAnnuel: 1000, plafondPeriode: { moisGlissants: 48 }, plafondPar: 'oreille', renouvellementMois: 48 };
      const versions = essential.versions.map((v) => ({ ...v, garanties: [...v.garanties, audio] }));
      document.produits.push({ ...essential, code: 'AUDIO', libelle: 'Audio', versions });
    }
    expect((await load('periods.json', JSON.stringify(document))).status).toBe('applied');
    const stored = await t.db.transaction({ insurerId: 1 }, async (tx) => (await tx.query<{ code: string; care_domain: string; ceiling_period_months: number | null; ceiling_scope: string }>(
      `SELECT p.code, g.care_domain, g.ceiling_period_months, g.ceiling_scope FROM guarantee g JOIN product p ON p.insurer_id = g.insurer_id AND p.id = g.product_id
        WHERE g.version = 1 AND p.code IN ('ESS', 'AUDIO') AND g.care_domain IN ('AUDI', 'OPTI') ORDER BY p.code, g.care_domain`)).rows);
    expect(stored).toEqual([
      { code: 'AUDIO', care_domain: 'AUDI', ceiling_period_months: 48, ceiling_scope: 'ear' },
      { code: 'AUDIO', care_domain: 'OPTI', ceiling_period_months: null, ceiling_scope: 'beneficiary' },
      { code: 'ESS', care_domain: 'OPTI', ceiling_period_months: null, ceiling_scope: 'beneficiary' },
    ]);
    // The same file again: every version compares equal to what was stored.
    expect((await load('periods-again.json', `${JSON.stringify(document)}\n`)).status).toBe('applied');
  });
});
