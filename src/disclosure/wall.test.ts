import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { devPeople } from '../access/people/dev-people.js';
import { TEST_ORIGIN, testAccess, testVault } from '../access/test-support/access.js';
import type { Database } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { today as clockToday } from '../clock.js';
import { buildServer } from '../app/server.js';
import { loadPopulation, type Population } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';

/** The serving view of `db`, noting the role each of its transactions runs as. */
function watchingRoles(db: Database): { db: Database; roles: string[] } {
  const roles: string[] = [];
  const serving = db.serving();
  const view: Database = {
    engine: serving.engine,
    transaction: (scope, fn) =>
      serving.transaction(scope, async (tx) => {
        roles.push((await tx.query<{ role: string }>('SELECT current_user AS role')).rows[0]?.role ?? '');
        return fn(tx);
      }),
    query: (text, params) => view.transaction('platform', (tx) => tx.query(text, params)),
    serving: () => view,
    close: () => Promise.resolve(),
  };
  return { db: { engine: db.engine, transaction: (s, fn) => db.transaction(s, fn), query: (q, p) => db.query(q, p), serving: () => view, close: () => db.close() }, roles };
}

describe('the database is the second wall: the serving role reaches identities only through the disclosure functions', () => {
  let t: TestDatabase;
  let population: Population;
  const vault = testVault();

  beforeAll(async () => {
    t = await createTestDatabase();
    population = await loadPopulation(t.db, vault, 'wall-tests');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('refuses a direct read or write of any identity table, on this engine', async () => {
    const serving = t.db.serving();
    // The migrations' own list, which a later identity table joins.
    const listed = await t.db.query<{ name: string }>('SELECT name FROM identity_table ORDER BY name');
    const identityTables = listed.rows.map((row) => row.name);
    expect(identityTables).toEqual(expect.arrayContaining(['beneficiary', 'ceiling_counter', 'ceiling_entry', 'contract', 'engagement']));
    for (const table of identityTables) {
      await expect(serving.transaction({ insurerId: 1 }, (tx) => tx.query(`SELECT * FROM ${table} LIMIT 1`)), table).rejects.toThrow(/permission denied/);
    }
    await expect(serving.transaction({ insurerId: 1 }, (tx) => tx.query("UPDATE beneficiary SET removed_on = '2000-01-01'"))).rejects.toThrow(/permission denied/);
    // Loaders keep their role: the same read as the application role goes through.
    expect((await t.db.transaction({ insurerId: 1 }, (tx) => tx.query('SELECT 1 FROM beneficiary LIMIT 1'))).rowCount).toBe(1);
  });

  it('grants the serving role no table that holds a sealed identity or a blind index', async () => {
    const exposed = await t.db.transaction('platform', (tx) =>
      tx.query<{ table_name: string }>(
        `SELECT DISTINCT c.relname AS table_name
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT a.attisdropped
            AND a.attname IN ('identity', 'blind_index', 'member_number', 'rights')
            AND has_table_privilege('rempart_serve', c.oid, 'SELECT')`,
      ),
    );
    expect(exposed.rows).toEqual([]);
  });

  it('keeps a disclosure function in the scope it was called in', async () => {
    const serving = t.db.serving();
    const call = serving.transaction({ insurerId: 2 }, (tx) => tx.query("SELECT member_by_card(1, '\\x00'::bytea, 'A1')"));
    await expect(call).rejects.toThrow(/portée 2 déjà ouverte/);
  });

  it("refuses the invoice read's inner functions, which write no access record of their own (migration 042)", async () => {
    const serving = t.db.serving();
    const earlier = serving.transaction({ insurerId: 1 }, (tx) => tx.query("SELECT * FROM invoice_earlier(1, 1, 1, '2000-01-01')"));
    await expect(earlier).rejects.toThrow(/permission denied for function invoice_earlier/);
    const terms = serving.transaction({ insurerId: 1 }, (tx) =>
      tx.query("SELECT * FROM disclose_invoice_terms(1, 'L', 'F', 'E', NULL, NULL, '2000-01-01', '{}', '2000-01-01', now(), 1, 1, 'c', 's', 'i', 'd', '\\x00')"),
    );
    await expect(terms).rejects.toThrow(/permission denied for function disclose_invoice_terms/);
  });

  it('serves every request as the serving role', async () => {
    const watched = watchingRoles(t.db);
    const app = await buildServer({ vault, services: await testAccess(watched.db), people: await devPeople(watched.db, TEST_ORIGIN) });
    try {
      const today = clockToday();
      const pharmacist = population.practitioners.find((p) => p.profession === '21');
      const holder = population.holders.find((h) => rightsCover(h.droits, 'PHAR', today));
      if (!pharmacist || !holder) throw new Error('population de test sans pharmacien ni assuré couvert');
      const headers = await sessionHeader(t.db, await professionalRef(t.db, pharmacist.rpps));
      const response = await app.inject({
        method: 'POST', url: '/api/v1/rights/check', headers,
        payload: { structure: pharmacist.structure, amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: today },
      });
      expect(response.json(), response.body).toMatchObject({ couvert: true });
      expect(watched.roles.length).toBeGreaterThan(0);
      expect(new Set(watched.roles)).toEqual(new Set(['rempart_serve']));
    } finally {
      await app.close();
    }
  });
});
