import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAccessRecord } from './access-record.js';
import { AuditSigner, TrustedKeys } from './checkpoint-signer.js';
import { encodeLeaf, microsToIso, RECORD_COLUMNS, toStoredRecord, type RecordRow } from './leaf.js';
import { leafHash, MerkleFrontier, rootOf } from './merkle.js';
import { startSequencer } from './sequencer-loop.js';
import { runSequencer, sequenceAccessLog, type SequencerPass } from './sequencer.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { accessRecord, appendRecords, sequenceUntil } from './test-support/log.js';
import { asAttacker } from './test-support/superuser.js';
import { verifyAccessLog } from './verify.js';

const onServer = Boolean(process.env.DATABASE_URL);

interface Leaf {
  leafIndex: number;
  recordId: number;
  hash: Buffer;
}

describe('the sequencer', () => {
  let t: TestDatabase;
  const signer = AuditSigner.generate();
  const keys = new TrustedKeys([signer.publicKey]);

  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(() => t.drop());

  const leaves = async (): Promise<Leaf[]> =>
    (
      await t.db.transaction('platform', (tx) =>
        tx.query<{ leaf_index: number; record_id: number; leaf_hash: Uint8Array }>('SELECT leaf_index, record_id, leaf_hash FROM access_leaf ORDER BY leaf_index'),
      )
    ).rows.map((row) => ({ leafIndex: row.leaf_index, recordId: row.record_id, hash: Buffer.from(row.leaf_hash) }));

  /** The record ids in the order the rule says: by inserting transaction, then id. */
  const expectedOrder = async (): Promise<number[]> =>
    (await t.db.transaction('platform', (tx) => tx.query<{ id: number }>('SELECT id FROM access_record ORDER BY xid, id'))).rows.map((row) => row.id);

  it('appends final records as leaves 0, 1, 2… in (xid, id) order, and signs the root', async () => {
    const ids = [...(await appendRecords(t.db, 3)), ...(await appendRecords(t.db, 1)), ...(await appendRecords(t.db, 2))];
    const passes = await sequenceUntil(t.db, signer, 6);
    const stored = await leaves();
    expect(stored.map((leaf) => leaf.leafIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stored.map((leaf) => leaf.recordId)).toEqual(ids);
    // Each leaf hash is the hash of its record's canonical bytes; the root is theirs.
    const records = await t.db.transaction('platform', (tx) => tx.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM access_record r ORDER BY r.xid, r.id`));
    expect(stored.map((leaf) => leaf.hash)).toEqual(records.rows.map((row) => leafHash(encodeLeaf(toStoredRecord(row)))));
    const last = passes.at(-1)?.checkpoint;
    if (!last) throw new Error('no checkpoint');
    expect(last.treeSize).toBe(6);
    expect(last.rootHash).toEqual(rootOf(stored.map((leaf) => leaf.hash)));
    expect(keys.check(last, last.signature)).toBe('valid');
    const again = await runSequencer(t.db, signer);
    expect(again).toMatchObject({ status: 'idle', appended: 0, treeSize: 6 });
  });

  it('leaves the records of its own transaction for a later pass, when they are final', async () => {
    await appendRecords(t.db, 2);
    await sequenceUntil(t.db, signer, 2);
    const inside = await t.db.transaction('platform', async (tx) => {
      await appendAccessRecord(tx, accessRecord());
      return sequenceAccessLog(tx, signer);
    });
    expect(inside).toMatchObject({ status: 'idle', treeSize: 2 });
    expect(inside.pending).toBeGreaterThanOrEqual(1);
    await sequenceUntil(t.db, signer, 3);
    expect((await leaves()).map((leaf) => leaf.leafIndex)).toEqual([0, 1, 2]);
  });

  it('forgets what a rolled-back transaction inserted', async () => {
    await expect(
      t.db.transaction('platform', async (tx) => {
        await appendAccessRecord(tx, accessRecord());
        throw new Error('disclosure failed');
      }),
    ).rejects.toThrow('disclosure failed');
    const kept = await appendRecords(t.db, 1);
    await sequenceUntil(t.db, signer, 1);
    expect((await leaves()).map((leaf) => leaf.recordId)).toEqual(kept);
  });

  it('stops a long pass between two transactions, never inside one', async () => {
    await appendRecords(t.db, 3);
    await appendRecords(t.db, 2);
    const passes = await sequenceUntil(t.db, signer, 5, { maxLeaves: 2, batchSize: 2 });
    // The first transaction's three records go together, though the limit is two.
    expect(passes.map((pass) => pass.appended)).toEqual([3, 2]);
    expect(passes[0]?.pending).toBe(2);
    expect((await leaves()).map((leaf) => leaf.recordId)).toEqual(await expectedOrder());
    expect(await verifyAccessLog(t.db, keys, { batchSize: 2 })).toMatchObject({ ok: true, leaves: 5, checkpoints: 2 });
  });

  it('refuses to extend a tree whose leaves or edge were tampered with, rather than sign the damage', async () => {
    await appendRecords(t.db, 3);
    await sequenceUntil(t.db, signer, 3);
    await appendRecords(t.db, 1);
    await asAttacker(t, (su) => su.query('DELETE FROM access_leaf WHERE leaf_index = 2'));
    await expect(runSequencer(t.db, signer)).rejects.toMatchObject({ code: 'AUDIT_LOG_INCONSISTENT', detail: '2 feuilles pour un dernier point de contrôle de 3' });
  });

  it('refuses to extend a head whose root and edge were rewritten together, by its signature', async () => {
    await appendRecords(t.db, 3);
    await sequenceUntil(t.db, signer, 3);
    await appendRecords(t.db, 1);
    await asAttacker(t, async (su) => {
      const forged = MerkleFrontier.empty();
      for (let i = 0; i < 3; i++) forged.append(leafHash(Buffer.from(`forged ${i}`)));
      await su.query('UPDATE audit_checkpoint SET root_hash = $1, frontier = $2 WHERE tree_size = 3', [forged.root(), forged.pack()]);
    });
    await expect(runSequencer(t.db, signer)).rejects.toMatchObject({ code: 'AUDIT_LOG_INCONSISTENT', detail: 'la signature du point de contrôle 3 est fausse' });
  });

  it('runs every few seconds in the background until stopped', async () => {
    const seen: SequencerPass[] = [];
    const errors: unknown[] = [];
    const loop = startSequencer(t.db, signer, { intervalMs: 10, onPass: (pass) => seen.push(pass), onError: (error) => errors.push(error) });
    await appendRecords(t.db, 2);
    const deadline = Date.now() + 30_000;
    while (!seen.some((pass) => pass.treeSize === 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.stop();
    const count = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.length).toBe(count);
    expect(errors).toEqual([]);
    expect(seen.some((pass) => pass.treeSize === 2)).toBe(true);
  });

  // PGlite runs one transaction at a time: transactions open together need a server.
  it.skipIf(!onServer)('skips its turn while another instance runs a pass', async () => {
    await appendRecords(t.db, 1);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const other = t.db.transaction('platform', async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7245009)');
      started();
      await held;
    });
    await running;
    expect(await runSequencer(t.db, signer)).toMatchObject({ status: 'busy', appended: 0 });
    release();
    await other;
    await sequenceUntil(t.db, signer, 1);
  });

  it.skipIf(!onServer)('waits for a transaction that inserted first but commits last (an "id > last id" rule would lose its record)', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted = (): void => undefined;
    const early = new Promise<number>((resolve) => (inserted = () => resolve(0)));
    let slowId = 0;
    // T1 inserts first (smallest id and xid) and stays open…
    const slow = t.db.transaction('platform', async (tx) => {
      slowId = (await appendAccessRecord(tx, accessRecord({ device: 'slow' }))).id;
      inserted();
      await held;
    });
    await early;
    // …while T2 and T3 insert later and commit.
    const quick = [...(await appendRecords(t.db, 2)), ...(await appendRecords(t.db, 1))];
    expect(Math.min(...quick)).toBeGreaterThan(slowId);
    const during = await runSequencer(t.db, signer);
    // Committed, but above xmin (T1's xid): not final yet, so not sequenced.
    expect(during).toMatchObject({ status: 'idle', treeSize: 0 });
    expect(during.pending).toBe(3);
    release();
    await slow;
    await sequenceUntil(t.db, signer, 4);
    const order = (await leaves()).map((leaf) => leaf.recordId);
    expect(order).toEqual([slowId, ...quick]);
    expect(await verifyAccessLog(t.db, keys)).toMatchObject({ ok: true, leaves: 4 });
  });

  it.skipIf(!onServer)('sequences every committed record exactly once under concurrent writers committing in any order', async () => {
    const errors: unknown[] = [];
    const loop = startSequencer(t.db, signer, { intervalMs: 5, onError: (error) => errors.push(error) });
    const committed: number[] = [];
    const writer = async (worker: number): Promise<void> => {
      for (let round = 0; round < 12; round++) {
        const ids: number[] = [];
        const doomed = (worker + round) % 5 === 0;
        await t.db
          .transaction('platform', async (tx) => {
            for (let i = 0; i <= (worker + round) % 3; i++) {
              ids.push((await appendAccessRecord(tx, accessRecord({ beneficiaryId: worker * 1000 + round }))).id);
              // Random waits make commits overtake one another.
              await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 15)));
            }
            if (doomed) throw new Error('rolled back');
          })
          .then(
            () => committed.push(...ids),
            () => undefined,
          );
      }
    };
    await Promise.all([writer(1), writer(2)]);
    await loop.stop();
    await sequenceUntil(t.db, signer, committed.length);
    expect(errors).toEqual([]);
    const stored = await leaves();
    expect(stored.map((leaf) => leaf.leafIndex)).toEqual(stored.map((_, i) => i));
    expect([...stored.map((leaf) => leaf.recordId)].sort((a, b) => a - b)).toEqual([...committed].sort((a, b) => a - b));
    expect(stored.map((leaf) => leaf.recordId)).toEqual(await expectedOrder());
    expect(await verifyAccessLog(t.db, keys, { batchSize: 7 })).toMatchObject({ ok: true, leaves: committed.length });
  });

  it('writes record times back exactly, to the microsecond', async () => {
    await appendRecords(t.db, 1);
    await sequenceUntil(t.db, signer, 1);
    const row = await t.db.transaction('platform', (tx) =>
      tx.query<{ same: boolean; at_us: string }>(
        `SELECT l.record_at = r.at AS same, (extract(epoch FROM r.at) * 1000000)::bigint::text AS at_us FROM access_leaf l JOIN access_record r ON r.id = l.record_id`,
      ),
    );
    expect(row.rows[0]?.same).toBe(true);
    expect(microsToIso(BigInt(row.rows[0]?.at_us ?? '0'))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});
