import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import { listMigrations, migrate, type AdminSession } from './migrate.js';
import { PgliteDatabase } from './pglite.js';

/** Migration 024 on a store that already counted ceilings by year: its counters become movements. */
describe('migration 024 on data written before it', () => {
  let db: PgliteDatabase;
  let admin: AdminSession;
  const year = Number(today().slice(0, 4));

  beforeAll(async () => {
    db = await PgliteDatabase.open(undefined);
    admin = { exec: async (sql) => void (await db.pg.exec(sql)), query: async <R>(sql: string, params?: unknown[]) => (await db.pg.query<R>(sql, params)).rows };
    await migrate(admin, listMigrations().filter((m) => m.version < '024'));
    // As the embedded superuser, which row-level security does not stop: what 023's data looked like.
    await admin.exec(`RESET ROLE;
      INSERT INTO insurer (id, amc_number, name, kind) VALUES (1, '11111111', 'Mutuelle A', 'mutuelle');
      INSERT INTO product (insurer_id, id, code, label, level, responsible) VALUES (1, 1, 'P1', 'Essentiel', 'entree', true);
      INSERT INTO product_version (insurer_id, product_id, version, valid_from) VALUES (1, 1, 1, '${year - 1}-01-01');
      INSERT INTO guarantee (insurer_id, product_id, version, care_domain, basis, rate_bp, annual_ceiling_cents, label) VALUES (1, 1, 1, 'DENT', 'br_percent', 20000, 150000, '200% BR');
      INSERT INTO contract (insurer_id, id, member_number, product_id, valid_from) VALUES (1, 1, 'M1', 1, '${year - 1}-01-01');
      INSERT INTO beneficiary (insurer_id, id, contract_id, blind_index, rank, quality, identity, key_version, fingerprint, rights)
        VALUES (1, 1, 1, '\\x01', 1, 0, '\\x02', 1, '\\x03', '');
      INSERT INTO ceiling_counter (insurer_id, beneficiary_id, care_domain, year, consumed_cents) VALUES (1, 1, 'DENT', ${year - 1}, 40000), (1, 1, 'DENT', ${year}, 25000), (1, 1, 'OPTI', ${year}, 0);`);
    await migrate(admin);
  });
  afterAll(() => db.close());

  it('turns each used counter into one consumed movement on 1 January of its year, and reads old guarantees as a calendar year', async () => {
    const entries = await admin.query<{ care_domain: string; care_date: string; amount_cents: string; kind: string; source: string }>(
      'SELECT care_domain, care_date::text, amount_cents::text, kind, source FROM ceiling_entry ORDER BY care_date');
    expect(entries).toEqual([
      { care_domain: 'DENT', care_date: `${year - 1}-01-01`, amount_cents: '40000', kind: 'consumed', source: 'ceiling_counter' },
      { care_domain: 'DENT', care_date: `${year}-01-01`, amount_cents: '25000', kind: 'consumed', source: 'ceiling_counter' },
    ]);
    expect(await admin.query('SELECT ceiling_period_months, ceiling_scope FROM guarantee')).toEqual([{ ceiling_period_months: null, ceiling_scope: 'beneficiary' }]);
  });
});
