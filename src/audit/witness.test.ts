import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { accessSealer } from './access-seal.js';
import { AuditSigner, TrustedKeys } from './checkpoint-signer.js';
import { BlindSealer } from './test-support/blind-sealer.js';
import { appendRecords, sequenceUntil } from './test-support/log.js';
import { asAttacker } from './test-support/superuser.js';
import { verifyAccessLog, type VerifyReport } from './verify.js';
import { exportToWitnesses, readWitnessHeads } from './witness.js';

const signer = AuditSigner.generate();
const keys = new TrustedKeys([signer.publicKey]);
const WITNESSES = ['0123456789', '9876543210'];

describe('witnesses hold the signed heads outside the database', () => {
  let t: TestDatabase;
  let dir: string;
  let ids: number[];

  /** Two leaves swap places, through a spare index. */
  const swapLeaves = (a: number, b: number): Promise<void> =>
    asAttacker(t, async (su) => {
      await su.query('UPDATE access_leaf SET leaf_index = 1000 WHERE leaf_index = $1', [a]);
      await su.query('UPDATE access_leaf SET leaf_index = $1 WHERE leaf_index = $2', [a, b]);
      await su.query('UPDATE access_leaf SET leaf_index = $1 WHERE leaf_index = 1000', [b]);
    });
  const verified = (): Promise<VerifyReport> => verifyAccessLog(t.db, keys, { batchSize: 7, expected: readWitnessHeads([dir], keys) });

  beforeEach(async () => {
    t = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'rempart-witness-'));
    ids = [];
    for (let pass = 1; pass <= 3; pass++) {
      ids.push(...(await appendRecords(t.db, 5)));
      await sequenceUntil(t.db, signer, 5 * pass);
      await exportToWitnesses(t.db, dir, WITNESSES);
    }
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.drop();
  });

  it('receive each head once, in a folder each', async () => {
    expect(await exportToWitnesses(t.db, dir, WITNESSES)).toEqual(WITNESSES.map((witness) => ({ witness, written: 0, treeSize: 15 })));
    for (const witness of WITNESSES) expect(readdirSync(join(dir, witness)).sort()).toEqual(['10.json', '15.json', '5.json']);
    expect(await verified()).toMatchObject({ ok: true, leaves: 15 });
  });

  it('catch a deleted record, a modified one, two reordered, each', async () => {
    const [first, second, third] = [ids[3] ?? 0, ids[4] ?? 0, ids[8] ?? 0];
    await asAttacker(t, (su) => su.query("UPDATE access_record SET ip = '203.0.113.9' WHERE id = $1", [first]));
    expect(await verified()).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_MODIFIED', recordId: first } });
    await asAttacker(t, (su) => su.query("UPDATE access_record SET ip = '192.0.2.10' WHERE id = $1", [first]));
    await swapLeaves(4, 8);
    // Leaf 4 now names a later transaction's record: the first signed root over it no longer holds.
    expect(await verified()).toMatchObject({ ok: false, problem: { code: 'AUDIT_ROOT_MISMATCH', leafIndex: 4, recordId: third, treeSize: 5 } });
    await swapLeaves(4, 8);
    expect(await verified()).toMatchObject({ ok: true });
    await asAttacker(t, (su) => su.query('DELETE FROM access_record WHERE id = $1', [second]));
    expect(await verified()).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_MISSING', recordId: second } });
  });

  it('catch a tail cut off with its checkpoints, which the log alone cannot see', async () => {
    await asAttacker(t, async (su) => {
      await su.query('DELETE FROM access_record WHERE id IN (SELECT record_id FROM access_leaf WHERE leaf_index >= 10)');
      await su.query('DELETE FROM access_leaf WHERE leaf_index >= 10');
      await su.query('DELETE FROM access_node');
      await su.query('DELETE FROM audit_checkpoint WHERE tree_size > 10');
    });
    expect(await verifyAccessLog(t.db, keys)).toMatchObject({ ok: true, leaves: 10 });
    expect(await verified()).toMatchObject({ ok: false, problem: { code: 'AUDIT_TAIL_TRUNCATED', treeSize: 15 } });
  });

  it('catch a whole log rebuilt with one record changed and re-signed with the stolen key', async () => {
    await asAttacker(t, async (su) => {
      await su.query("UPDATE access_record SET professional_id = 999 WHERE id = $1", [ids[2]]);
      await su.query('DELETE FROM access_leaf');
      await su.query('DELETE FROM access_node');
      await su.query('DELETE FROM audit_checkpoint');
    });
    // The attacker's own sequencer: the signing key, not the seal key, so it checks no seal.
    await sequenceUntil(t.db, signer, 15, { sealer: new BlindSealer() });
    // Consistent with itself and signed by the right key: only the witnesses, or the seals, know better.
    expect(await verifyAccessLog(t.db, keys)).toMatchObject({ ok: true, leaves: 15, seals: 'unchecked' });
    expect(await verified()).toMatchObject({ ok: false, problem: { code: 'AUDIT_HEAD_MISMATCH', treeSize: 5 } });
    expect(await verifyAccessLog(t.db, keys, { sealer: accessSealer() })).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_FORGED', recordId: ids[2] } });
  });

  it('refuse a head a witness holds that the log’s key did not sign', () => {
    const file = join(dir, WITNESSES[0] ?? '', '10.json');
    const head = JSON.parse(readFileSync(file, 'utf8')) as { rootHash: string };
    writeFileSync(file, JSON.stringify({ ...head, rootHash: 'ab'.repeat(32) }));
    expect(() => readWitnessHeads([dir], keys)).toThrow(expect.objectContaining({ code: 'AUDIT_WITNESS_INVALID' }) as Error);
    writeFileSync(file, '{ pas du JSON');
    expect(() => readWitnessHeads([dir], keys)).toThrow(expect.objectContaining({ code: 'AUDIT_WITNESS_INVALID' }) as Error);
  });
});
