import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAccessRecord } from './access-record.js';
import { AuditSigner } from './checkpoint-signer.js';
import { sequenceAccessLog } from './sequencer.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { accessRecord, appendRecords, sequenceUntil } from './test-support/log.js';
import { asOwner, asSuperuser } from './test-support/superuser.js';

/** Every way of rewriting history, on each of the three tables. */
const REWRITES = [
  'UPDATE access_record SET purpose = purpose',
  'DELETE FROM access_record',
  'TRUNCATE access_record',
  'UPDATE access_leaf SET leaf_hash = leaf_hash',
  'DELETE FROM access_leaf',
  'TRUNCATE access_leaf',
  'UPDATE audit_checkpoint SET signature = signature',
  'DELETE FROM audit_checkpoint',
  'TRUNCATE audit_checkpoint',
];

describe('the access log is append-only, for the application and for the owner', () => {
  let t: TestDatabase;
  let insurerA: number;
  let insurerB: number;
  const signer = AuditSigner.generate();

  beforeAll(async () => {
    t = await createTestDatabase();
    [insurerA, insurerB] = await t.db.transaction('platform', async (tx) => {
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO insurer (amc_number, name, kind) VALUES ('31111111', 'Mutuelle A', 'mutuelle'), ('32222222', 'Assureur B', 'assureur') RETURNING id`,
      );
      return rows.rows.map((row) => row.id) as [number, number];
    });
    await appendRecords(t.db, 2, { insurerId: insurerA });
    await appendRecords(t.db, 1, { insurerId: insurerB });
    await appendRecords(t.db, 1, 'platform');
    await sequenceUntil(t.db, signer, 4);
  });
  afterAll(() => t.drop());

  const asApp = (sql: string): Promise<unknown> => t.db.transaction('platform', (tx) => tx.query(sql));

  it.each(REWRITES)('refuses the application role: %s', async (sql) => {
    await expect(asApp(sql)).rejects.toThrow(/permission denied/);
  });

  it('lets the application choose neither the id, nor the time, nor the transaction of a record', async () => {
    for (const column of ['id', 'at', 'xid']) {
      await expect(
        asApp(`INSERT INTO access_record (${column}, professional_id, site_id, ip, purpose, result) SELECT ${column}, 1, 1, '10.0.0.1', 'rights_check', 'error' FROM access_record LIMIT 1`),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('keeps partitions out of the application’s reach (row-level security lives on the parent)', async () => {
    const partitions = await t.db.transaction('platform', (tx) =>
      tx.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'access_record'::regclass`),
    );
    const month = new Date().toISOString().slice(0, 7).replace('-', '_');
    expect(partitions.rows.map((row) => row.name)).toEqual(expect.arrayContaining(['access_record_default', `access_record_${month}`]));
    for (const { name } of partitions.rows) {
      await expect(asApp(`SELECT * FROM ${name}`)).rejects.toThrow(/permission denied/);
      await expect(asApp(`INSERT INTO ${name} (professional_id, site_id, ip, purpose, result) VALUES (1, 1, '10.0.0.1', 'rights_check', 'error')`)).rejects.toThrow(
        /permission denied/,
      );
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE to the owner too, on every table and every partition', async () => {
    const month = new Date().toISOString().slice(0, 7).replace('-', '_');
    const attempts = [...REWRITES, `DELETE FROM access_record_${month}`, `TRUNCATE access_record_${month}`, 'TRUNCATE access_record_default'];
    for (const sql of attempts) {
      await expect(
        asOwner(t, (owner) => owner.query(sql)),
        sql,
      ).rejects.toThrow(/ajout seul/);
    }
    const counts = await t.db.transaction('platform', (tx) =>
      tx.query<{ records: number; leaves: number }>('SELECT (SELECT count(*)::int FROM access_record) AS records, (SELECT count(*)::int FROM access_leaf) AS leaves'),
    );
    expect(counts.rows[0]).toEqual({ records: 4, leaves: 4 });
  });

  it('shows an insurer its own records only, and the platform every record', async () => {
    const seen = async (scope: { insurerId: number } | 'platform'): Promise<(number | null)[]> =>
      (await t.db.transaction(scope, (tx) => tx.query<{ insurer_id: number | null }>('SELECT insurer_id FROM access_record ORDER BY id'))).rows.map(
        (row) => row.insurer_id,
      );
    expect(await seen({ insurerId: insurerA })).toEqual([insurerA, insurerA]);
    expect(await seen({ insurerId: insurerB })).toEqual([insurerB]);
    expect(await seen('platform')).toEqual([insurerA, insurerA, insurerB, null]);
  });

  it('lets an insurer log for itself only; the platform logs for anyone, and misses without insurer', async () => {
    const append = (scope: { insurerId: number } | 'platform', insurerId: number | null): Promise<unknown> =>
      t.db.transaction(scope, (tx) => appendAccessRecord(tx, accessRecord({ insurerId })));
    await expect(append({ insurerId: insurerA }, insurerB)).rejects.toThrow(/row-level security/);
    await expect(append({ insurerId: insurerA }, null)).rejects.toThrow(/row-level security/);
    await expect(append({ insurerId: insurerA }, insurerA)).resolves.toBeDefined();
    await expect(append('platform', insurerB)).resolves.toBeDefined();
    await expect(append('platform', null)).resolves.toBeDefined();
  });

  it('lets only the platform scope append leaves and checkpoints; an insurer cannot run the sequencer', async () => {
    await expect(
      t.db.transaction({ insurerId: insurerA }, (tx) => tx.query(`INSERT INTO access_leaf VALUES (1000, now(), 1, decode(repeat('00', 32), 'hex'))`)),
    ).rejects.toThrow(/row-level security/);
    await expect(t.db.transaction({ insurerId: insurerA }, (tx) => sequenceAccessLog(tx, signer))).rejects.toMatchObject({ code: 'AUDIT_LOG_INCONSISTENT' });
  });

  it('stores pseudonymous ids only: a NIR does not fit in beneficiary_id', async () => {
    await expect(t.db.transaction('platform', (tx) => appendAccessRecord(tx, accessRecord({ beneficiaryId: 1951099126111 })))).rejects.toThrow(/check constraint/);
    await expect(t.db.transaction('platform', (tx) => appendAccessRecord(tx, accessRecord({ sessionRef: 'cookie=abc; Path=/' })))).rejects.toThrow(/check constraint/);
  });

  it('stores disclosed domains sorted and once, whatever order the route gives', async () => {
    const { id } = await t.db.transaction('platform', (tx) => appendAccessRecord(tx, accessRecord({ disclosed: ['OPTI', 'DENT', 'OPTI'] })));
    const row = await t.db.transaction('platform', (tx) => tx.query<{ disclosed: string[] }>('SELECT disclosed FROM access_record WHERE id = $1', [id]));
    expect(row.rows[0]?.disclosed).toEqual(['DENT', 'OPTI']);
  });
});

describe('monthly partitions', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('exist for this month and the next; a month whose rows went to the default partition stays there', async () => {
    const now = new Date();
    const name = (offset: number): string => {
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return `access_record_${month.toISOString().slice(0, 7).replace('-', '_')}`;
    };
    const result = await asSuperuser(t, async (su) => {
      const before = await su.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relname LIKE 'access_record_2%' ORDER BY 1`);
      // A record of a month without partition (backdated by the superuser) lands in the default one…
      await su.query(`INSERT INTO access_record (at, professional_id, site_id, ip, purpose, result) VALUES ('2019-03-15T12:00:00Z', 1, 1, '10.0.0.1', 'rights_check', 'error')`);
      const landed = await su.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM access_record WHERE at < '2020-01-01'`);
      // …so that month cannot get its own partition any more, and is left as it is.
      await su.query('SET LOCAL client_min_messages = error');
      const blocked = await su.query<{ made: string | null }>(`SELECT audit_create_month('2019-03-01') AS made`);
      const made = await su.query<{ made: string | null }>(`SELECT audit_create_month('2019-04-20') AS made`);
      const sealed = await su.query<{ app: boolean; guarded: boolean }>(
        `SELECT has_table_privilege('rempart_app', 'access_record_2019_04', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE') AS app,
                EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'access_record_2019_04'::regclass AND tgname = 'no_rewrite') AS guarded`,
      );
      return { before: before.map((row) => row.name), landed: landed[0]?.part, blocked: blocked[0]?.made, made: made[0]?.made, sealed: sealed[0] };
    });
    expect(result.before).toEqual([name(0), name(1)]);
    expect(result.landed).toBe('access_record_default');
    expect(result.blocked).toBeNull();
    expect(result.made).toBe('access_record_2019_04');
    expect(result.sealed).toEqual({ app: false, guarded: true });
    // The application may ask again at any time: nothing happens.
    const again = await t.db.transaction('platform', (tx) => tx.query('SELECT audit_ensure_partitions()'));
    expect(again.rowCount).toBe(0);
  });
});
