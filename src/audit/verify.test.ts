import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditSigner, TrustedKeys } from './checkpoint-signer.js';
import { encodeLeaf, RECORD_COLUMNS, toStoredRecord, type RecordRow } from './leaf.js';
import { leafHash, MerkleFrontier } from './merkle.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { appendRecords, sequenceUntil } from './test-support/log.js';
import { asAttacker, type Superuser } from './test-support/superuser.js';
import { verifyAccessLog, type VerifyReport } from './verify.js';

const signer = AuditSigner.generate();
const keys = new TrustedKeys([signer.publicKey]);
const SIZE = 12;

interface Leaf {
  index: number;
  recordId: number;
}

/** A log of 12 sequenced records over a few signed checkpoints. */
async function buildLog(t: TestDatabase): Promise<{ leaves: Leaf[]; sizes: number[] }> {
  for (let pass = 1; pass <= 3; pass++) {
    await appendRecords(t.db, 2, 'platform', { insurerId: null });
    await appendRecords(t.db, 2, 'platform', { device: `poste ${pass}` });
    await sequenceUntil(t.db, signer, 4 * pass);
  }
  return t.db.transaction('platform', async (tx) => {
    const leaves = await tx.query<{ leaf_index: number; record_id: number }>('SELECT leaf_index, record_id FROM access_leaf ORDER BY leaf_index');
    const sizes = await tx.query<{ tree_size: number }>('SELECT tree_size FROM audit_checkpoint ORDER BY tree_size');
    return { leaves: leaves.rows.map((row) => ({ index: row.leaf_index, recordId: row.record_id })), sizes: sizes.rows.map((row) => row.tree_size) };
  });
}

const verify = (t: TestDatabase, options: Parameters<typeof verifyAccessLog>[2] = {}): Promise<VerifyReport> => verifyAccessLog(t.db, keys, { batchSize: 5, ...options });

/** The checkpoint that first covers a leaf. */
const coveringCheckpoint = (sizes: number[], leafIndex: number): number => sizes.find((size) => size > leafIndex) ?? Number.NaN;

describe('rempart audit verify', () => {
  let t: TestDatabase;
  let log: { leaves: Leaf[]; sizes: number[] };
  const leaf = (index: number): Leaf => log.leaves[index] ?? { index, recordId: Number.NaN };

  beforeEach(async () => {
    t = await createTestDatabase();
    log = await buildLog(t);
  });
  afterEach(() => t.drop());

  it('passes a good log, and counts what waits to be sequenced', async () => {
    await appendRecords(t.db, 1);
    const report = await verify(t);
    expect(report).toMatchObject({ ok: true, leaves: SIZE, checkpoints: log.sizes.length, pending: 1, keyIds: [signer.keyId] });
    const top = await t.db.transaction('platform', (tx) => tx.query<{ root_hash: Uint8Array }>('SELECT root_hash FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1'));
    expect(report.ok && report.rootHash).toEqual(Buffer.from(top.rows[0]?.root_hash ?? []));
    // With batches of one, of the whole log, and larger: the same verdict.
    for (const batchSize of [1, SIZE, 1000]) expect(await verify(t, { batchSize })).toMatchObject({ ok: true, leaves: SIZE });
  });

  it('checks only up to a given signed checkpoint when asked, and refuses a size no checkpoint has', async () => {
    const first = log.sizes[0] ?? Number.NaN;
    const top = await t.db.transaction('platform', (tx) => tx.query<{ root_hash: Uint8Array }>('SELECT root_hash FROM audit_checkpoint WHERE tree_size = $1', [first]));
    const report = await verify(t, { treeSize: first });
    expect(report).toMatchObject({ ok: true, leaves: first, checkpoints: 1, pending: 0 });
    expect(report.ok && report.rootHash).toEqual(Buffer.from(top.rows[0]?.root_hash ?? []));
    // A record damaged after that tree is not read; one inside it is found.
    await asAttacker(t, (su) => su.query('UPDATE access_record SET device = $1 WHERE id = $2', ['autre', leaf(SIZE - 1).recordId]));
    expect(await verify(t, { treeSize: first })).toMatchObject({ ok: true, leaves: first });
    await asAttacker(t, (su) => su.query('UPDATE access_record SET device = $1 WHERE id = $2', ['autre', leaf(0).recordId]));
    expect(await verify(t, { treeSize: first })).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_MODIFIED', leafIndex: 0 } });
    await expect(verify(t, { treeSize: first + 1 })).rejects.toMatchObject({ code: 'AUDIT_CHECKPOINT_UNKNOWN' });
  });

  it('names the first modified record, whatever field was changed, and passes again once it is restored', async () => {
    const changes = [
      'purpose = $$coverage$$',
      'result = $$not_covered$$',
      'disclosed = $${DENT}$$',
      'ip = $$203.0.113.9$$',
      'device = $$autre poste$$',
      'client_id = NULL',
      'beneficiary_id = beneficiary_id + 1',
      'professional_id = 102',
      'insurer_id = 1',
      'at = at + interval $$1 microsecond$$',
      `xid = (xid::text::bigint - 1)::text::xid8`,
    ];
    const target = leaf(5);
    for (const change of changes) {
      const before = await asAttacker(t, async (su) => {
        const [saved] = await su.query<{ row: unknown }>('SELECT to_jsonb(r)::text AS row FROM access_record r WHERE id = $1', [target.recordId]);
        await su.query(`UPDATE access_record SET ${change} WHERE id = $1`, [target.recordId]);
        return saved?.row;
      });
      expect(await verify(t), change).toMatchObject({
        ok: false,
        problem: { code: 'AUDIT_RECORD_MODIFIED', leafIndex: 5, recordId: target.recordId },
        leavesChecked: 5,
      });
      await asAttacker(t, (su) => restore(su, target.recordId, before));
      expect(await verify(t), `${change}, restored`).toMatchObject({ ok: true });
    }
    // Two changes: the earlier leaf is named.
    await asAttacker(t, (su) => su.query('UPDATE access_record SET purpose = $$coverage$$ WHERE id = ANY($1)', [[leaf(9).recordId, leaf(3).recordId]]));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_MODIFIED', leafIndex: 3, recordId: leaf(3).recordId } });
  });

  it('names a deleted record, and a deleted record with its leaf', async () => {
    await asAttacker(t, (su) => su.query('DELETE FROM access_record WHERE id = $1', [leaf(4).recordId]));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_MISSING', leafIndex: 4, recordId: leaf(4).recordId } });
    await asAttacker(t, (su) => su.query('DELETE FROM access_leaf WHERE leaf_index = 4'));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_LEAF_GAP', leafIndex: 4 } });
  });

  it('names a gap that swallows a whole batch as a gap, not as a truncated tail', async () => {
    // Batches of 5 leaves: [5, 10) comes back empty, and the walk goes on to leaf 10.
    await asAttacker(t, (su) => su.query('DELETE FROM access_leaf WHERE leaf_index BETWEEN 5 AND 9'));
    const report = await verify(t);
    expect(report).toMatchObject({ ok: false, problem: { code: 'AUDIT_LEAF_GAP', leafIndex: 5 } });
    expect(report.ok ? '' : report.problem.detail).toContain('la suivante est 10');
  });

  it('names a reordered pair of leaves', async () => {
    await asAttacker(t, async (su) => {
      const rows = await su.query<{ leaf_index: number; record_at: string; record_id: number; leaf_hash: Buffer }>(
        'SELECT leaf_index, record_at::text, record_id, leaf_hash FROM access_leaf WHERE leaf_index IN (6, 7) ORDER BY leaf_index',
      );
      const [six, seven] = rows as [(typeof rows)[0], (typeof rows)[0]];
      await su.query('DELETE FROM access_leaf WHERE leaf_index IN (6, 7)');
      await su.query('INSERT INTO access_leaf VALUES (6, $1, $2, $3), (7, $4, $5, $6)', [seven.record_at, seven.record_id, seven.leaf_hash, six.record_at, six.record_id, six.leaf_hash]);
    });
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_LEAF_ORDER', leafIndex: 6, recordId: leaf(7).recordId } });
  });

  it('catches a record rewritten along with its leaf hash by the root of the next checkpoint', async () => {
    await asAttacker(t, (su) => rewriteRecordAndLeaf(su, leaf(5).recordId, 5));
    const covering = coveringCheckpoint(log.sizes, 5);
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_ROOT_MISMATCH', leafIndex: covering - 1, treeSize: covering } });
  });

  it('catches a history rewritten down to every root, by the signature it cannot make', async () => {
    const covering = coveringCheckpoint(log.sizes, 5);
    await asAttacker(t, async (su) => {
      await rewriteRecordAndLeaf(su, leaf(5).recordId, 5);
      await recomputeCheckpoints(su);
    });
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_SIGNATURE_INVALID', leafIndex: covering - 1, treeSize: covering } });
    // Signing every checkpoint again with a key of the attacker's own does not help either.
    const forger = AuditSigner.generate();
    await asAttacker(t, (su) => recomputeCheckpoints(su, forger));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_KEY_UNKNOWN', treeSize: log.sizes[0] } });
  });

  it('catches a forged checkpoint signature', async () => {
    const forged = log.sizes[1] ?? Number.NaN;
    await asAttacker(t, (su) => su.query('UPDATE audit_checkpoint SET signature = $1 WHERE tree_size = $2', [randomBytes(64), forged]));
    expect(await verify(t)).toMatchObject({
      ok: false,
      problem: { code: 'AUDIT_SIGNATURE_INVALID', leafIndex: forged - 1, recordId: leaf(forged - 1).recordId, treeSize: forged },
      checkpointsChecked: 1,
    });
  });

  it('catches a tail cut off below the last checkpoint, with or without its records', async () => {
    await asAttacker(t, (su) => su.query('DELETE FROM access_leaf WHERE leaf_index >= 10'));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_TAIL_TRUNCATED', leafIndex: 10, recordId: leaf(10).recordId, treeSize: SIZE } });
    await asAttacker(t, (su) => su.query('DELETE FROM access_record WHERE id = ANY($1)', [[leaf(10).recordId, leaf(11).recordId]]));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_TAIL_TRUNCATED', leafIndex: 10, recordId: undefined, treeSize: SIZE } });
  });

  it('needs a tree head kept outside to catch a tail cut off with its checkpoints, and then does', async () => {
    const kept = await t.db.transaction('platform', (tx) =>
      tx.query<{ tree_size: number; root_hash: Uint8Array }>('SELECT tree_size, root_hash FROM audit_checkpoint ORDER BY tree_size'),
    );
    const heads = kept.rows.map((row) => ({ treeSize: row.tree_size, rootHash: Buffer.from(row.root_hash) }));
    const cut = heads.find((head) => head.treeSize > 4)?.treeSize ?? Number.NaN;
    await asAttacker(t, async (su) => {
      await su.query('DELETE FROM access_record WHERE id IN (SELECT record_id FROM access_leaf WHERE leaf_index >= $1)', [cut]);
      await su.query('DELETE FROM access_leaf WHERE leaf_index >= $1', [cut]);
      await su.query('DELETE FROM audit_checkpoint WHERE tree_size > $1', [cut]);
    });
    // Consistent with itself: only what was kept outside shows the loss.
    expect(await verify(t)).toMatchObject({ ok: true, leaves: cut });
    // The first kept head beyond the cut is named: the sequencer's passes may have signed more
    // checkpoints than three when another test's transaction held records pending for a while.
    const firstLost = heads.find((head) => head.treeSize > cut)?.treeSize;
    expect(firstLost).toBeGreaterThan(cut);
    expect(await verify(t, { expected: heads })).toMatchObject({ ok: false, problem: { code: 'AUDIT_TAIL_TRUNCATED', leafIndex: cut, treeSize: firstLost } });
    const wrong = { treeSize: 3, rootHash: randomBytes(32) };
    expect(await verify(t, { expected: [wrong] })).toMatchObject({ ok: false, problem: { code: 'AUDIT_HEAD_MISMATCH', leafIndex: 2, treeSize: 3 } });
  });

  it('catches a record slipped in with an old transaction id, which no pass will ever sequence', async () => {
    const [late] = await asAttacker(t, (su) =>
      su.query<{ id: number }>(
        `INSERT INTO access_record (xid, professional_id, site_id, ip, purpose, result) VALUES ('3', 1, 1, '10.0.0.1', 'rights_check', 'covered') RETURNING id`,
      ),
    );
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_UNSEQUENCED', recordId: late?.id, treeSize: SIZE } });
  });
});

/** Puts a record back exactly as saved by to_jsonb (to the microsecond). */
async function restore(su: Superuser, id: number, saved: unknown): Promise<void> {
  await su.query(
    `UPDATE access_record t SET (at, xid, insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result) =
       (s.at, s.xid, s.insurer_id, s.beneficiary_id, s.professional_id, s.site_id, s.client_id, s.session_ref, s.ip, s.device, s.purpose, s.disclosed, s.result)
       FROM jsonb_populate_record(NULL::access_record, $2::jsonb) s WHERE t.id = $1`,
    [id, saved],
  );
}

/** What an attacker with write access does to hide an edit: the leaf hash follows the record. */
async function rewriteRecordAndLeaf(su: Superuser, recordId: number, leafIndex: number): Promise<void> {
  await su.query(`UPDATE access_record SET beneficiary_id = 4242, disclosed = '{}' WHERE id = $1`, [recordId]);
  const [row] = await su.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM access_record r WHERE r.id = $1`, [recordId]);
  if (!row) throw new Error('record not found');
  await su.query('UPDATE access_leaf SET leaf_hash = $1 WHERE leaf_index = $2', [leafHash(encodeLeaf(toStoredRecord(row))), leafIndex]);
}

/** …then every root and frontier, signed again with the old signature or the attacker's key. */
async function recomputeCheckpoints(su: Superuser, forger?: AuditSigner): Promise<void> {
  const leaves = await su.query<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM access_leaf ORDER BY leaf_index');
  const heads = await su.query<{ tree_size: number; created_us: string }>(
    'SELECT tree_size, (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us FROM audit_checkpoint ORDER BY tree_size',
  );
  const frontier = MerkleFrontier.empty();
  for (const head of heads) {
    while (frontier.size < head.tree_size) frontier.append(leaves[frontier.size]?.leaf_hash ?? Buffer.alloc(32));
    const rootHash = frontier.root();
    if (forger) {
      const signature = forger.sign({ treeSize: head.tree_size, rootHash, createdAtMicros: BigInt(head.created_us) });
      await su.query('UPDATE audit_checkpoint SET root_hash = $1, frontier = $2, key_id = $3, signature = $4 WHERE tree_size = $5', [
        rootHash,
        frontier.pack(),
        forger.keyId,
        signature,
        head.tree_size,
      ]);
    } else {
      await su.query('UPDATE audit_checkpoint SET root_hash = $1, frontier = $2 WHERE tree_size = $3', [rootHash, frontier.pack(), head.tree_size]);
    }
  }
}
