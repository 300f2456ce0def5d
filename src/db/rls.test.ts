import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

describe('the database is the second wall', () => {
  let t: TestDatabase;
  let insurerA: number;
  let insurerB: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    [insurerA, insurerB] = await t.db.transaction('platform', async (tx) => {
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO insurer (amc_number, name, kind) VALUES ('11111111', 'Mutuelle A', 'mutuelle'),
         ('22222222', 'Assureur B', 'assureur') RETURNING id`,
      );
      return rows.rows.map((row) => row.id) as [number, number];
    });
    for (const insurerId of [insurerA, insurerB]) {
      await t.db.transaction({ insurerId }, (tx) =>
        tx.query(`INSERT INTO product (insurer_id, code, label, level, responsible) VALUES ($1, 'P1', 'Essentiel', 'entree', true)`, [
          insurerId,
        ]),
      );
    }
  });
  afterAll(() => t.drop());

  it('shows a transaction only the rows of its own insurer', async () => {
    const seen = await t.db.transaction({ insurerId: insurerA }, (tx) => tx.query<{ insurer_id: number }>('SELECT insurer_id FROM product'));
    expect(seen.rows).toEqual([{ insurer_id: insurerA }]);
  });

  it('shows the platform scope no tenant row at all', async () => {
    const seen = await t.db.transaction('platform', (tx) => tx.query('SELECT * FROM product'));
    expect(seen.rowCount).toBe(0);
  });

  it('refuses to write a row for another insurer', async () => {
    await expect(
      t.db.transaction({ insurerId: insurerA }, (tx) =>
        tx.query(`INSERT INTO product (insurer_id, code, label, level, responsible) VALUES ($1, 'P2', 'X', 'entree', true)`, [insurerB]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('lets the same code exist at two insurers: uniqueness is per insurer, no oracle', async () => {
    const count = await t.db.transaction({ insurerId: insurerB }, (tx) => tx.query(`SELECT 1 FROM product WHERE code = 'P1'`));
    expect(count.rowCount).toBe(1);
  });

  it('runs the application as a role that owns nothing and cannot switch off the wall', async () => {
    const role = await t.db.transaction('platform', (tx) =>
      tx.query<{ user: string; superuser: boolean; bypass: boolean; owned: number }>(
        `SELECT current_user AS user, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
                (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
           FROM pg_roles r WHERE r.rolname = current_user`,
      ),
    );
    expect(role.rows[0]).toEqual({ user: 'rempart_app', superuser: false, bypass: false, owned: 0 });
    await expect(
      t.db.transaction({ insurerId: insurerA }, (tx) => tx.query('ALTER TABLE product DISABLE ROW LEVEL SECURITY')),
    ).rejects.toThrow(/owner/);
  });
});
