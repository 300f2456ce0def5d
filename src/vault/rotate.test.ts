import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { readDataKeys } from './data-keys.js';
import { asBuffer } from './encoding.js';
import { beneficiaryIdentity } from './field-cipher.js';
import { LocalMasterKey } from './master-key.js';
import { listInsurers, rotateDataKey, rotateMasterKey } from './rotate.js';
import { createInsurer, expectedIdentities, readIdentities, seedBeneficiaries } from './test-support/fixtures.js';
import { Vault } from './vault.js';

const ROWS = 23;

describe('key rotation', () => {
  let t: TestDatabase;
  let master: LocalMasterKey;
  let vault: Vault;
  let insurerA: number;
  let insurerB: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    master = new LocalMasterKey(randomBytes(32));
    vault = new Vault(master);
    insurerA = await createInsurer(t.db, '11111111');
    insurerB = await createInsurer(t.db, '22222222');
    await seedBeneficiaries(t.db, vault, insurerA, ROWS);
    await seedBeneficiaries(t.db, vault, insurerB, ROWS);
  });
  afterAll(() => t.drop());

  async function countKeys(insurerIds: readonly number[]): Promise<number> {
    let count = 0;
    for (const insurerId of insurerIds) count += (await t.db.transaction({ insurerId }, (tx) => readDataKeys(tx, insurerId))).length;
    return count;
  }

  it('lists insurers, all or by AMC number', async () => {
    expect(await listInsurers(t.db)).toEqual([
      { id: insurerA, amcNumber: '11111111' },
      { id: insurerB, amcNumber: '22222222' },
    ]);
    expect(await listInsurers(t.db, '22222222')).toEqual([{ id: insurerB, amcNumber: '22222222' }]);
    expect(await listInsurers(t.db, '99999999')).toEqual([]);
  });

  it('re-encrypts every row under a new data key, and reads never fail halfway', async () => {
    // A reader whose cache predates the rotation, and one that starts in the middle of it.
    const staleReader = new Vault(master);
    await readIdentities(t.db, staleReader, insurerA);
    const midway: Awaited<ReturnType<typeof readIdentities>>[] = [];
    const batches = Math.ceil(ROWS / 4);

    const done = await rotateDataKey(t.db, vault, insurerA, {
      batchSize: 4,
      onProgress: async ({ reencrypted, total }) => {
        expect(total).toBe(ROWS);
        if (reencrypted !== 4 * Math.floor(batches / 2)) return;
        midway.push(await readIdentities(t.db, staleReader, insurerA), await readIdentities(t.db, new Vault(master), insurerA));
      },
    });

    expect(done).toEqual({ insurerId: insurerA, version: 2, reencrypted: ROWS, batches, remaining: 0 });
    expect(midway).toHaveLength(2);
    for (const seen of midway) {
      expect(seen.map((row) => row.plain)).toEqual(expectedIdentities(ROWS));
      expect(new Set(seen.map((row) => row.keyVersion))).toEqual(new Set([1, 2]));
    }
    const after = await readIdentities(t.db, new Vault(master), insurerA);
    expect(after.map((row) => row.plain)).toEqual(expectedIdentities(ROWS));
    expect(after.every((row) => row.keyVersion === 2 && row.sealedVersion === 2)).toBe(true);
  });

  it('leaves other insurers alone and rotates again', async () => {
    expect((await readIdentities(t.db, vault, insurerB)).every((row) => row.keyVersion === 1)).toBe(true);
    const done = await rotateDataKey(t.db, vault, insurerA, { batchSize: 100 });
    expect(done).toMatchObject({ version: 3, reencrypted: ROWS, batches: 1, remaining: 0 });
  });

  it('rotates an insurer with no rows', async () => {
    const empty = await createInsurer(t.db, '33333333');
    expect(await rotateDataKey(t.db, vault, empty)).toEqual({ insurerId: empty, version: 2, reencrypted: 0, batches: 0, remaining: 0 });
  });

  it('catches, in a last sweep, rows rewritten under the old key behind the walk', async () => {
    const insurer = await createInsurer(t.db, '44444444');
    await seedBeneficiaries(t.db, vault, insurer, ROWS);
    // A loader that fetched its keys before the rotation and upserts a row the walk has passed.
    const stale = await t.db.transaction({ insurerId: insurer }, (tx) => vault.keysFor(tx, insurer));
    const rewriteFirstRow = (): Promise<unknown> =>
      t.db.transaction({ insurerId: insurer }, async (tx) => {
        const { rows } = await tx.query<{ id: number; blind_index: Uint8Array }>('SELECT id, blind_index FROM beneficiary ORDER BY id LIMIT 1');
        const row = rows[0];
        if (row === undefined) throw new Error('no row');
        const identity = stale.encrypt(Buffer.from('person 1'), beneficiaryIdentity(asBuffer(row.blind_index)));
        return tx.query('UPDATE beneficiary SET identity = $1, key_version = $2 WHERE id = $3', [identity, stale.encryptionVersion, row.id]);
      });
    const done = await rotateDataKey(t.db, vault, insurer, {
      batchSize: 4,
      onProgress: async ({ reencrypted }) => {
        if (reencrypted === 8) await rewriteFirstRow();
      },
    });
    expect(done).toMatchObject({ version: 2, reencrypted: ROWS + 1, remaining: 0 });
    const after = await readIdentities(t.db, vault, insurer);
    expect(after.map((row) => row.plain)).toEqual(expectedIdentities(ROWS));
    expect(after.every((row) => row.keyVersion === 2)).toBe(true);
  });

  // PGlite runs one transaction at a time: a lock held across another transaction needs a server.
  it.skipIf(!process.env.DATABASE_URL)('skips rows a writer holds instead of waiting, and reports them', async () => {
    const insurer = await createInsurer(t.db, '55555555');
    await seedBeneficiaries(t.db, vault, insurer, 5);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken = (): void => undefined;
    const lockTaken = new Promise<void>((resolve) => (taken = resolve));
    const writer = t.db.transaction({ insurerId: insurer }, async (tx) => {
      await tx.query('SELECT id FROM beneficiary ORDER BY id LIMIT 1 FOR UPDATE');
      taken();
      await held;
    });
    await lockTaken;
    const done = await rotateDataKey(t.db, vault, insurer, { batchSize: 2 });
    release();
    await writer;
    expect(done).toMatchObject({ version: 2, reencrypted: 4, remaining: 1 });
    expect(await rotateDataKey(t.db, vault, insurer, { batchSize: 2 })).toMatchObject({ version: 3, reencrypted: 5, remaining: 0 });
  });

  it('rewraps every data key under a new master key; only the new one opens them afterwards', async () => {
    const next = new LocalMasterKey(randomBytes(32));
    const insurers = await listInsurers(t.db);
    const keyCount = await countKeys(insurers.map((insurer) => insurer.id));
    const done = await rotateMasterKey(t.db, master, next);
    expect(done).toEqual({ insurers: insurers.length, keys: keyCount, rewrapped: keyCount });
    for (const insurerId of [insurerA, insurerB]) {
      const rows = await t.db.transaction({ insurerId }, (tx) => readDataKeys(tx, insurerId));
      expect(rows.every((row) => row.masterKeyId === next.id)).toBe(true);
      expect((await readIdentities(t.db, new Vault(next), insurerId)).map((row) => row.plain)).toEqual(expectedIdentities(ROWS));
      await expect(readIdentities(t.db, new Vault(master), insurerId)).rejects.toMatchObject({ code: 'master-key-mismatch' });
    }
    // An instance started before the rotation keeps serving from its cache until restarted.
    expect((await readIdentities(t.db, vault, insurerB)).map((row) => row.plain)).toEqual(expectedIdentities(ROWS));
    // Running it again (e.g. after an interruption) finds nothing left to do.
    expect(await rotateMasterKey(t.db, master, next)).toEqual({ insurers: insurers.length, keys: keyCount, rewrapped: 0 });
    await expect(rotateMasterKey(t.db, next, next)).rejects.toThrow(/identique/);
    master = next;
  });

  it('refuses to rewrap keys it cannot open', async () => {
    const wrongFrom = new LocalMasterKey(randomBytes(32));
    await expect(rotateMasterKey(t.db, wrongFrom, new LocalMasterKey(randomBytes(32)))).rejects.toMatchObject({
      code: 'master-key-mismatch',
    });
  });

  it('lets the application change a key envelope, not the key row itself', async () => {
    const attempt = (sql: string): Promise<unknown> => t.db.transaction({ insurerId: insurerA }, (tx) => tx.query(sql));
    await expect(attempt(`UPDATE data_key SET version = 9 WHERE purpose = 'index'`)).rejects.toThrow(/permission denied/);
    await expect(attempt(`UPDATE data_key SET insurer_id = ${insurerB} WHERE purpose = 'index'`)).rejects.toThrow(/permission denied/);
    await expect(attempt(`DELETE FROM data_key`)).rejects.toThrow(/permission denied/);
  });
});
