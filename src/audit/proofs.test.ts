import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { AuditSigner, TrustedKeys } from './checkpoint-signer.js';
import { verifyConsistency, verifyInclusion } from './merkle.js';
import { proveConsistency, proveRecord, recentHeads, signedBody, signedHeads, type SignedHead } from './proofs.js';
import { appendRecords, sequenceUntil } from './test-support/log.js';
import { asAttacker } from './test-support/superuser.js';

const signer = AuditSigner.generate();
const keys = new TrustedKeys([signer.publicKey]);

/** What someone outside does with a head: check its signature with the public key. */
function signedByTheLog(head: SignedHead): boolean {
  return keys.check(signedBody(head), Buffer.from(head.signature, 'base64')) === 'valid';
}

describe('proofs from the access log', () => {
  let t: TestDatabase;
  let ids: number[];
  let sizes: number[];

  beforeAll(async () => {
    t = await createTestDatabase();
    // 700 records over two checkpoints: beyond 256 leaves, proofs read kept nodes.
    ids = [...(await appendRecords(t.db, 300)), ...(await appendRecords(t.db, 1))];
    await sequenceUntil(t.db, signer, 301);
    ids.push(...(await appendRecords(t.db, 399)));
    await sequenceUntil(t.db, signer, 700);
    sizes = (await signedHeads(t.db)).map((head) => head.treeSize);
  });
  afterAll(() => t.drop());

  it('keeps one node per 256 leaves as it sequences', async () => {
    const nodes = await t.db.transaction('platform', (tx) => tx.query<{ level: number; n: number }>('SELECT level, count(*)::int AS n FROM access_node GROUP BY level'));
    expect(nodes.rows).toEqual([{ level: 8, n: 2 }]);
  });

  it('proves any record in the latest signed tree, and in an older one that covers it', async () => {
    for (const id of [ids[0], ids[255], ids[256], ids[300], ids[699]]) {
      const proof = await proveRecord(t.db, id ?? 0);
      expect(signedByTheLog(proof.head)).toBe(true);
      expect(proof.head.treeSize).toBe(700);
      expect(verifyInclusion(proof.leafIndex, proof.head.treeSize, Buffer.from(proof.leafHash, 'hex'), proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(proof.head.rootHash, 'hex'))).toBe(true);
    }
    const early = await proveRecord(t.db, ids[10] ?? 0, sizes[0]);
    expect(early.head.treeSize).toBe(sizes[0]);
    await expect(proveRecord(t.db, ids[600] ?? 0, sizes[0])).rejects.toMatchObject({ code: 'AUDIT_RECORD_NOT_IN_TREE' });
    await expect(proveRecord(t.db, 987_654_321)).rejects.toMatchObject({ code: 'AUDIT_RECORD_NOT_IN_TREE' });
    await expect(proveRecord(t.db, ids[1] ?? 0, 5)).rejects.toMatchObject({ code: 'AUDIT_CHECKPOINT_UNKNOWN' });
  });

  it('proves that each signed tree extends the one before', async () => {
    for (const [from, to] of [[sizes[0], sizes[1]], [sizes[0], 700], [700, 700]] as [number, number][]) {
      const proof = await proveConsistency(t.db, from, to);
      expect(signedByTheLog(proof.from) && signedByTheLog(proof.to)).toBe(true);
      expect(verifyConsistency(from, to, Buffer.from(proof.from.rootHash, 'hex'), Buffer.from(proof.to.rootHash, 'hex'), proof.proof.map((h) => Buffer.from(h, 'hex')))).toBe(true);
    }
  });

  it('lists the latest signed heads, oldest first: each a size a proof accepts, and no other', async () => {
    const listed = await recentHeads(t.db, { limit: 10 });
    expect(listed.heads.map((head) => head.treeSize)).toEqual(sizes);
    expect(listed.total).toBe(sizes.length);
    expect(listed.heads.every(signedByTheLog)).toBe(true);
    expect(await recentHeads(t.db, { limit: 1 })).toMatchObject({ total: sizes.length, heads: [{ treeSize: 700 }] });
    expect(await recentHeads(t.db, { limit: 10, fromSize: 701 })).toEqual({ heads: [], total: 0 });
    const [oldest, latest] = [listed.heads[0]?.treeSize ?? 0, listed.heads.at(-1)?.treeSize ?? 0];
    await expect(proveConsistency(t.db, oldest, latest)).resolves.toMatchObject({ from: { treeSize: oldest }, to: { treeSize: latest } });
    const unsigned = Array.from({ length: latest }, (_, i) => i + 1).find((size) => !sizes.includes(size)) ?? 0;
    await expect(proveConsistency(t.db, unsigned, latest)).rejects.toMatchObject({ code: 'AUDIT_CHECKPOINT_UNKNOWN' });
  });

  it('makes the nodes of a log sequenced before they were kept, at the next pass', async () => {
    await asAttacker(t, (su) => su.query('DELETE FROM access_node'));
    ids.push(...(await appendRecords(t.db, 1)));
    await sequenceUntil(t.db, signer, 701);
    const proof = await proveRecord(t.db, ids[700] ?? 0);
    expect(proof.head.treeSize).toBe(701);
    expect(verifyInclusion(700, 701, Buffer.from(proof.leafHash, 'hex'), proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(proof.head.rootHash, 'hex'))).toBe(true);
  });

  it('refuses to hand out a proof that damaged nodes would make wrong', async () => {
    await asAttacker(t, (su) => su.query("UPDATE access_node SET hash = decode(repeat('00', 32), 'hex') WHERE node_index = 0"));
    await expect(proveRecord(t.db, ids[600] ?? 0)).rejects.toMatchObject({ code: 'AUDIT_LOG_INCONSISTENT' });
  });
});
