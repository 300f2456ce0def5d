import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import * as clock from '../../clock.js';
import { addDays } from '../../domain/dates.js';
import { loadFile, type LoadSummary } from '../ingest/load-file.js';
import { silentProgress } from '../ingest/progress.js';
import { catalogueJson, fullFile, people, scratchDir, testVault, writeFixture, type Person } from '../test-support/fixtures.js';

/** The test catalogue, with a second product for contracts to disagree about. */
function twoProducts(): string {
  const catalogue = JSON.parse(catalogueJson()) as { produits: { code: string; libelle: string }[] };
  const [essential] = catalogue.produits;
  if (essential) catalogue.produits.push({ ...essential, code: 'CONF', libelle: 'Confort' });
  return JSON.stringify(catalogue);
}

/** A full file where the lines of `moved` name the product CONF instead of ESS. */
function withProduct(content: string, moved: readonly Person[]): string {
  return content
    .split('\n')
    .map((line) => (moved.some((p) => line.includes(p.nir)) ? line.replace(';ESS;', ';CONF;') : line))
    .join('\n');
}

interface StoredContract {
  member_number: string;
  product: string;
  beneficiaries: string;
}

describe('a contract named with two products in one file', () => {
  let t: TestDatabase;
  const vault = testVault();
  const dir = scratchDir();
  const today = clock.today();
  // Data line i is file line i + 3; lines 3 to 4002 make the first batch of 4,000.
  const persons = people(4100, 21);
  const sameContract = (a: number, b: number): void => {
    persons[b] = { ...(persons[b] as Person), adherent: (persons[a] as Person).adherent };
  };
  sameContract(1, 4050); // one contract, its lines in two batches
  sameContract(10, 11); // one contract, both lines in one batch
  const load = (name: string, content: string): Promise<LoadSummary> =>
    loadFile(t.db, vault, writeFixture(dir, name, content), { progress: () => silentProgress });

  async function contracts(): Promise<StoredContract[]> {
    const rows = await t.db.transaction({ insurerId: 1 }, (tx) =>
      tx.query<StoredContract>(
        `SELECT c.member_number, p.code AS product,
                string_agg(encode(b.fingerprint, 'hex') || coalesce(b.removed_on::text, ''), ',' ORDER BY b.id) AS beneficiaries
           FROM contract c JOIN product p ON p.insurer_id = c.insurer_id AND p.id = c.product_id
           LEFT JOIN beneficiary b ON b.insurer_id = c.insurer_id AND b.contract_id = c.id
          GROUP BY c.member_number, p.code ORDER BY c.member_number`,
      ),
    );
    return rows.rows;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    expect(await load('catalogue.json', twoProducts())).toMatchObject({ status: 'applied' });
    const first = fullFile(persons.slice(0, 4090), addDays(today, -2));
    expect(await load('beneficiaires-1.csv', first)).toMatchObject({ status: 'applied', applied: 4090 });
  });
  afterAll(() => t.drop());

  it('refuses every line of the contract, in one batch or across two, and leaves the contract and its people as they were', async () => {
    const before = await contracts();
    const [a, b, c, d] = [persons[1], persons[4050], persons[10], persons[11]] as [Person, Person, Person, Person];
    // A new contract too, named with ESS in the first batch and CONF in the second.
    const [e, f] = [{ ...(persons[5] as Person), adherent: 'NOUVEAU-1' }, { ...(persons[4095] as Person), adherent: 'NOUVEAU-1' }];
    const listed = persons.map((p, i) => (i === 5 ? e : i === 4095 ? f : i === 1 ? { ...p, nom: 'RENOMMÉ' } : p));
    const summary = await load('beneficiaires-2.csv', withProduct(fullFile(listed, addDays(today, -1)), [a, d, f]));
    expect(summary).toMatchObject({ status: 'applied', lines: 4100, rejected: 6, removed: 0, suspendedRemovals: 0 });
    const rejects = parse<{ ligne: string; champ: string; code: string }>(readFileSync(summary.rejectsPath), { delimiter: ';', columns: true });
    expect(rejects.map((row) => [Number(row.ligne), row.champ, row.code]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(
      [1, 5, 10, 11, 4050, 4095].map((i) => [i + 3, 'produit', 'CONTRACT_PRODUCT_CONFLICT']),
    );
    // The first batch's line for `a` was merged before the second batch contradicted it: the
    // file was read again, so neither its product nor its new name reached the store.
    const after = await contracts();
    for (const member of [a, b, c, d].map((p) => p.adherent)) {
      expect(after.find((row) => row.member_number === member)).toEqual(before.find((row) => row.member_number === member));
    }
    expect(after.some((row) => row.member_number === 'NOUVEAU-1')).toBe(false);
    // Everything else of the file was applied: the contracts of the nine other newcomers.
    expect(after.length).toBe(before.length + 9);
  });
});
