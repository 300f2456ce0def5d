import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { DAY_MS } from '../domain/dates.js';
import { AuditSigner, TrustedKeys } from './checkpoint-signer.js';
import { verifyInclusion } from './merkle.js';
import { proveConsistency, proveRecord } from './proofs.js';
import { applyRetention, partitionOf, retentionMonthsFromEnv, type RetentionReport } from './retention.js';
import { dropBody, DROP_SELECT, type DropRow } from './retention-row.js';
import { appendRecords, sequenceUntil } from './test-support/log.js';
import { createMonth, insertOldRecords, monthAgo } from './test-support/months.js';
import { asAttacker, asOwner, asSuperuser } from './test-support/superuser.js';
import { startSequencer } from './sequencer-loop.js';
import { verifyAccessLog, type VerifyReport } from './verify.js';

const signer = AuditSigner.generate();
const keys = new TrustedKeys([signer.publicKey]);
const forger = AuditSigner.generate();
/** Three old months to drop (28 to 30 months back), one to keep (3 back), kept 24 months. */
const [D1, D2, D3, KEPT] = [monthAgo(30), monthAgo(29), monthAgo(28), monthAgo(3)] as [string, string, string, string];
const MONTHS = 24;

interface Log {
  /** Record ids by month, the current one under 'now'. */
  ids: Record<string, number[]>;
  size: number;
}

/**
 * A log over five months, whose months' leaves interleave (a record's place follows its
 * transaction, not its time), sequenced in three signed checkpoints.
 */
async function buildLog(t: TestDatabase): Promise<Log> {
  for (const month of [D1, D2, D3, KEPT]) await createMonth(t, month);
  const first = await insertOldRecords(t, [D1, D1, D2]);
  const second = await insertOldRecords(t, [D3, D1, KEPT]);
  await sequenceUntil(t.db, signer, 6);
  const third = await insertOldRecords(t, [D3, D2, KEPT]);
  const now = await appendRecords(t.db, 2);
  await sequenceUntil(t.db, signer, 11);
  const later = await appendRecords(t.db, 1);
  await sequenceUntil(t.db, signer, 12);
  const pick = (ids: number[], positions: number[]): number[] => positions.map((p) => ids[p] ?? Number.NaN);
  return {
    ids: {
      [D1]: [...pick(first, [0, 1]), ...pick(second, [1])],
      [D2]: [...pick(first, [2]), ...pick(third, [1])],
      [D3]: [...pick(second, [0]), ...pick(third, [0])],
      [KEPT]: [...pick(second, [2]), ...pick(third, [2])],
      now: [...now, ...later],
    },
    size: 12,
  };
}

const verify = (t: TestDatabase, batchSize = 4): Promise<VerifyReport> => verifyAccessLog(t.db, keys, { batchSize });
const partitionExists = async (t: TestDatabase, month: string): Promise<boolean> =>
  (await t.db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [partitionOf(month)])).rows[0]?.present === true;
const dropRows = async (t: TestDatabase): Promise<DropRow[]> => (await t.db.query<DropRow>(`${DROP_SELECT} ORDER BY month`)).rows;
const recordCount = async (t: TestDatabase): Promise<number> => Number((await t.db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM access_record')).rows[0]?.n);

describe('retention of the access log', () => {
  let t: TestDatabase;
  let log: Log;

  beforeEach(async () => {
    t = await createTestDatabase();
    log = await buildLog(t);
  });
  afterEach(() => t.drop());

  it('says what it would drop, then drops whole old months with a signed drop record each; the log and its proofs still verify', async () => {
    // Records of a month that had no partition then sit in the default one: reported, left.
    const stray = monthAgo(40);
    await insertOldRecords(t, [stray, stray]);
    await sequenceUntil(t.db, signer, log.size + 2);
    const size = log.size + 2;
    const defaultSkip = { month: stray, status: 'skipped', reason: 'default-partition', records: 2 };

    const dry = await applyRetention(t.db, signer, { months: MONTHS, dryRun: true });
    expect(dry).toMatchObject({ months: MONTHS, keptFrom: monthAgo(MONTHS) });
    expect(dry.outcomes).toEqual([
      expect.objectContaining(defaultSkip),
      { month: D1, status: 'would-drop', records: 3 },
      { month: D2, status: 'would-drop', records: 2 },
      { month: D3, status: 'would-drop', records: 2 },
    ]);
    expect(await partitionExists(t, D1)).toBe(true);
    expect(await dropRows(t)).toEqual([]);
    expect(await recordCount(t)).toBe(size);
    expect(await verify(t)).toMatchObject({ ok: true, leaves: size, retention: { months: 0, records: 0, unchecked: 0 } });
    const proofBefore = await proveRecord(t.db, log.ids[KEPT]?.[0] ?? Number.NaN);

    const report = await applyRetention(t.db, signer, { months: MONTHS });
    expect(report.outcomes).toEqual([
      expect.objectContaining(defaultSkip),
      { month: D1, status: 'dropped', records: 3 },
      { month: D2, status: 'dropped', records: 2 },
      { month: D3, status: 'dropped', records: 2 },
    ]);
    for (const month of [D1, D2, D3]) expect(await partitionExists(t, month)).toBe(false);
    expect(await partitionExists(t, KEPT)).toBe(true);
    expect(await recordCount(t)).toBe(size - 7);
    const rows = await dropRows(t);
    expect(rows.map((row) => [row.month, Number(row.records), row.key_id])).toEqual([
      [D1, 3, signer.keyId],
      [D2, 2, signer.keyId],
      [D3, 2, signer.keyId],
    ]);
    for (const row of rows) expect(keys.checkDrop(dropBody(row), row.signature)).toBe('valid');
    // D1's leaves are 0, 1 and 4: not contiguous, and the record says so.
    expect(rows[0]).toMatchObject({ first_leaf: 0, last_leaf: 4 });
    for (const batchSize of [1, 4, 1000]) {
      expect(await verify(t, batchSize)).toMatchObject({ ok: true, leaves: size, retention: { months: 3, records: 7, unchecked: 7 } });
    }

    // Proofs read only leaves and nodes: a kept record's is unchanged, a dropped one's leaf still proves.
    expect(await proveRecord(t.db, log.ids[KEPT]?.[0] ?? Number.NaN)).toEqual(proofBefore);
    for (const id of [log.ids[KEPT]?.[0], log.ids[D1]?.[0]]) {
      const proof = await proveRecord(t.db, id ?? Number.NaN);
      const path = proof.path.map((hash) => Buffer.from(hash, 'hex'));
      expect(verifyInclusion(proof.leafIndex, proof.head.treeSize, Buffer.from(proof.leafHash, 'hex'), path, Buffer.from(proof.head.rootHash, 'hex'))).toBe(true);
    }
    await expect(proveConsistency(t.db, 6, size)).resolves.toMatchObject({ from: { treeSize: 6 }, to: { treeSize: size } });

    // Idempotent; and the sequencer goes on over the dropped months.
    expect((await applyRetention(t.db, signer, { months: MONTHS })).outcomes).toEqual([expect.objectContaining(defaultSkip)]);
    await appendRecords(t.db, 2);
    await sequenceUntil(t.db, signer, size + 2);
    expect(await verify(t)).toMatchObject({ ok: true, leaves: size + 2, retention: { months: 3, unchecked: 7 } });
  });

  it('catches a drop record edited or signed with another key, and one forged to hide a deletion', async () => {
    await applyRetention(t.db, signer, { months: MONTHS });
    await asAttacker(t, (su) => su.query('UPDATE audit_retention_drop SET records = records + 1 WHERE month = $1', [`${D2}-01`]));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_DROP_SIGNATURE_INVALID', leafIndex: 2 } });
    await asAttacker(t, (su) => su.query('UPDATE audit_retention_drop SET records = records - 1 WHERE month = $1', [`${D2}-01`]));
    expect(await verify(t)).toMatchObject({ ok: true });

    // Re-signed with the attacker's own key.
    await asAttacker(t, async (su) => {
      const [row] = await su.query<DropRow>(`${DROP_SELECT} WHERE month = $1`, [`${D3}-01`]);
      if (!row) throw new Error('drop record not found');
      const body = dropBody(row);
      await su.query('UPDATE audit_retention_drop SET key_id = $1, signature = $2 WHERE month = $3', [forger.keyId, forger.signDrop(body), `${D3}-01`]);
    });
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_DROP_SIGNATURE_INVALID' } });
  });

  it('catches a kept month dropped by an attacker, with or without a forged drop record', async () => {
    await applyRetention(t.db, signer, { months: MONTHS });
    const partition = `access_record_${KEPT.replace('-', '_')}`;
    const [first, second] = log.ids[KEPT] ?? [];
    const leaves = await t.db.query<{ leaf_index: number; leaf_hash: Uint8Array }>(
      'SELECT leaf_index, leaf_hash FROM access_leaf WHERE record_id = ANY($1) ORDER BY leaf_index',
      [[first, second]],
    );
    await asAttacker(t, (su) => su.query(`DROP TABLE ${partition}`));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_MISSING', recordId: first } });

    // A drop record naming exactly those leaves, but signed without the platform's key.
    const [one, two] = leaves.rows as [(typeof leaves.rows)[0], (typeof leaves.rows)[0]];
    const body = {
      month: KEPT,
      records: 2,
      firstLeaf: one.leaf_index,
      lastLeaf: two.leaf_index,
      leavesDigest: createHash('sha256').update(one.leaf_hash).update(two.leaf_hash).digest(),
      droppedAtMicros: 1n,
    };
    await asAttacker(t, (su) =>
      su.query(
        `INSERT INTO audit_retention_drop VALUES ($1::date, $2, 2, $3, $4, $5, now(), $6, $7)`,
        [`${KEPT}-01`, partition, body.firstLeaf, body.lastLeaf, body.leavesDigest, forger.keyId, forger.signDrop(body)],
      ),
    );
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_DROP_SIGNATURE_INVALID', recordId: first } });
  });

  it('still names a record deleted from a kept month, and catches its leaf moved into a dropped month', async () => {
    await applyRetention(t.db, signer, { months: MONTHS });
    const kept = log.ids[KEPT]?.[1] ?? Number.NaN;
    await asAttacker(t, (su) => su.query('DELETE FROM access_record WHERE id = $1', [kept]));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_MISSING', recordId: kept } });
    // Its leaf claimed for a dropped month, to pass for dropped by policy: D1's leaves no longer match its record.
    await asAttacker(t, (su) => su.query(`UPDATE access_leaf SET record_at = $1::date + interval '5 days' WHERE record_id = $2`, [`${D1}-01`, kept]));
    expect(await verify(t)).toMatchObject({ ok: false, problem: { code: 'AUDIT_DROP_MISMATCH', leafIndex: 8, recordId: kept } });
  });

  it('leaves a month not fully sequenced, and drops it once it is, from the sequencer’s loop, once a day', async () => {
    await insertOldRecords(t, [D1]);
    const report = await applyRetention(t.db, signer, { months: MONTHS });
    expect(report.outcomes).toEqual([
      { month: D1, status: 'skipped', reason: 'unsequenced', records: 4, detail: '4 enregistrement(s), 3 feuille(s), 1 pas encore séquencé(s)' },
      { month: D2, status: 'dropped', records: 2 },
      { month: D3, status: 'dropped', records: 2 },
    ]);
    expect(await partitionExists(t, D1)).toBe(true);
    // Sequenced (retried: on a shared server, another database's open transaction holds it
    // back), the month goes at the loop's first retention run, and the next passes run none.
    await sequenceUntil(t.db, signer, log.size + 1);
    const runs: RetentionReport[] = [];
    let passes = 0;
    const loop = startSequencer(t.db, signer, { intervalMs: 10, wait: true, retentionMonths: MONTHS, onRetention: (run) => runs.push(run), onPass: () => (passes += 1) });
    const deadline = Date.now() + 30_000;
    while ((runs.length === 0 || passes < 3) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.stop();
    expect(runs.map((run) => run.outcomes)).toEqual([[{ month: D1, status: 'dropped', records: 4 }]]);
    expect(await verify(t)).toMatchObject({ ok: true, leaves: log.size + 1, retention: { months: 3, records: 8, unchecked: 8 } });
  });

  it('never drops the current or the previous month, even when the clock says otherwise', async () => {
    await expect(applyRetention(t.db, signer, { months: 0 })).rejects.toMatchObject({ code: 'AUDIT_RETENTION_INVALID' });
    const report = await applyRetention(t.db, signer, { months: 1, now: new Date(Date.now() + 400 * DAY_MS) });
    const refused = report.outcomes.filter((outcome) => outcome.status === 'skipped').map((outcome) => outcome.month);
    expect(refused).toEqual(expect.arrayContaining([monthAgo(0), monthAgo(-1)]));
    expect(report.outcomes.filter((outcome) => outcome.status === 'dropped').map((outcome) => outcome.month)).toEqual([D1, D2, D3, KEPT]);
    expect(await partitionExists(t, monthAgo(0))).toBe(true);
    expect((await dropRows(t)).map((row) => row.month)).toEqual([D1, D2, D3, KEPT]);
    expect(await verify(t)).toMatchObject({ ok: true, retention: { months: 4, records: 9 } });
  });

  it('refuses the application a drop of a recent month, without retention, without its drop record, or by hand', async () => {
    const call = (month: string, retention: number): Promise<unknown> => t.db.transaction('platform', (tx) => tx.query('SELECT audit_drop_month($1::date, $2)', [`${month}-01`, retention]));
    await expect(call(monthAgo(0), 1)).rejects.toThrow(/trop récent/);
    await expect(call(monthAgo(1), 1)).rejects.toThrow(/trop récent/);
    await expect(call(D1, 0)).rejects.toThrow(/au moins 1/);
    await expect(call(D1, MONTHS)).rejects.toThrow(/aucune trace de purge/);
    // A drop record from another transaction, or with other counts, does not do either.
    const insert = (records: number, first: number, last: number): string =>
      `INSERT INTO audit_retention_drop VALUES ('${D2}-01', 'access_record_${D2.replace('-', '_')}', ${records}, ${first}, ${last}, decode(repeat('00', 32), 'hex'), now(), '${signer.keyId}', decode(repeat('00', 64), 'hex'))`;
    await expect(
      t.db.transaction('platform', async (tx) => {
        await tx.query(insert(3, 2, 7));
        await tx.query('SELECT audit_drop_month($1::date, $2)', [`${D2}-01`, MONTHS]);
      }),
    ).rejects.toThrow(/aucune trace de purge/);
    await t.db.transaction('platform', (tx) => tx.query(insert(2, 2, 7)));
    await expect(call(D2, MONTHS)).rejects.toThrow(/aucune trace de purge/);
    // Drop records are append-only, for the owner too.
    await expect(t.db.transaction('platform', (tx) => tx.query('UPDATE audit_retention_drop SET records = 0'))).rejects.toThrow();
    for (const sql of ['UPDATE audit_retention_drop SET records = 0', 'DELETE FROM audit_retention_drop', 'TRUNCATE audit_retention_drop']) {
      await expect(
        asOwner(t, (owner) => owner.query(sql)),
        sql,
      ).rejects.toThrow(/ajout seul/);
    }
    await expect(t.db.transaction('platform', (tx) => tx.query(`DROP TABLE access_record_${D1.replace('-', '_')}`))).rejects.toThrow();
    await expect(t.db.transaction('platform', (tx) => tx.query(`ALTER TABLE access_record DETACH PARTITION access_record_${D1.replace('-', '_')}`))).rejects.toThrow();
    expect(await partitionExists(t, D1)).toBe(true);
    // Nothing was dropped.
    expect(await asSuperuser(t, async (su) => (await su.query<{ n: number }>('SELECT count(*)::int AS n FROM access_record')).at(0)?.n)).toBe(log.size);
  });
});

describe('the retention setting', () => {
  it('is 12 months unless REMPART_RETENTION_MONTHS says otherwise, and at least 1', () => {
    expect(retentionMonthsFromEnv({})).toBe(12);
    expect(retentionMonthsFromEnv({ REMPART_RETENTION_MONTHS: '36' })).toBe(36);
    for (const bad of ['0', '-1', 'douze', '1.5']) {
      expect(() => retentionMonthsFromEnv({ REMPART_RETENTION_MONTHS: bad })).toThrow(expect.objectContaining({ code: 'AUDIT_RETENTION_INVALID' }));
    }
  });
});
