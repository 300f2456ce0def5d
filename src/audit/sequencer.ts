import type { Database, Tx } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { accessSealer, sealNonce, type AccessSealer } from './access-seal.js';
import { CHECKPOINT_SELECT, type CheckpointRow } from './checkpoint-row.js';
import { TrustedKeys, type AuditSigner } from './checkpoint-signer.js';
import { encodeLeaf, microsToIso, RECORD_COLUMNS, toStoredRecord, type RecordRow } from './leaf.js';
import { leafHash, MerkleFrontier, type CompletedNode } from './merkle.js';
import { ensureNodes, insertNodes, NODE_LEVELS } from './nodes.js';
import { SealGate } from './sequencer-seals.js';

/**
 * The sequencer gives access records their place in the Merkle tree, off the hot path: a
 * disclosure only INSERTs its record (no counter, no lock), and this pass, every few
 * seconds, appends what has become final as leaves 0, 1, 2… and signs a new checkpoint.
 *
 * Which records are final. Each record carries the id of the transaction that inserted
 * it (xid8, 64 bits, never wraps). The pass reads `xmin = pg_snapshot_xmin(pg_current_snapshot())`:
 * every transaction with an id below xmin has ended, committed or rolled back, and every
 * transaction that starts later gets an id above every id handed out so far, hence at least
 * xmin. So the records with watermark ≤ xid < xmin, where watermark is the previous pass's
 * xmin, are exactly and forever the records of those transactions: none can still appear,
 * none can vanish (the log refuses DELETE). Ordered by (xid, id), they are appended in an
 * order that a re-run would reproduce. Records of transactions still open, or that
 * committed while an older one is still open, wait for a later pass: this is the case a
 * rule like "id > last id" gets wrong (ids are taken at INSERT, commits happen in another
 * order), and the test in sequencer.test.ts fails under it.
 *
 * Its own transaction. xmin counts the pass's own transaction id when it has one, so if a
 * pass runs in a transaction that has itself inserted records, those records are at or
 * above xmin and wait for the next pass, when they are final. The pass reads xmin only
 * after taking the lock and reading the last checkpoint (READ COMMITTED: each statement
 * sees what committed before it), so it never works from an older state than the pass
 * before it; under REPEATABLE READ a stale read would collide on the primary keys of
 * access_leaf and audit_checkpoint and roll back, never fork the tree.
 *
 * Several instances. One pass at a time, across instances, by a transaction-level advisory
 * lock: the background loop skips its turn when another instance holds it, the CLI waits.
 * The lock is off the hot path. xmin is cluster-wide: a transaction left open anywhere on
 * the PostgreSQL cluster (even in another database) holds sequencing back; its records and
 * later ones stay in access_record, reported as pending, and are sequenced once it ends.
 *
 * A restore into another cluster (pg_dump) resets transaction ids below the watermark; the
 * pass then refuses to run (AUDIT_XID_REWOUND) rather than leave new records unsequenced.
 *
 * Only sealed records. A record without the application's valid seal, or with a seal
 * another record already used, was not written by the application: the pass leaves it out
 * of the tree, sets it aside and raises an alert (src/audit/sequencer-seals.ts), and signs
 * the others. The watermark still passes it: it is final, and quarantined, not pending.
 */
export interface SequencerOptions {
  /** Wait for another instance's pass to end (CLI) instead of skipping this turn. */
  wait?: boolean;
  /** Leaves appended per pass, at most (exceeded only to finish a transaction's records). */
  maxLeaves?: number;
  /** Records read per query. */
  batchSize?: number;
  now?: () => Date;
  /** The key that checks the records' seals; this process's (accessSealer) by default. */
  sealer?: AccessSealer;
}

export interface Checkpoint {
  treeSize: number;
  rootHash: Buffer;
  createdAtMicros: bigint;
  keyId: string;
  signature: Buffer;
  watermark: bigint;
}

export interface SequencerPass {
  /** appended: a new checkpoint; idle: nothing final to add; busy: another instance's pass is running. */
  status: 'appended' | 'idle' | 'busy';
  appended: number;
  treeSize: number;
  checkpoint: Checkpoint | undefined;
  /** Records not sequenced yet (their transaction, or an older one, was still open). */
  pending: number;
  /** Records refused by this pass for the first time (no valid seal, or a replayed one), each raised as an alert. */
  quarantined: number;
}

/** A constant of this project's advisory-lock space (migrate.ts uses 7245001). */
const SEQUENCER_LOCK = 7245009;

/** One pass in a platform transaction of its own. */
export function runSequencer(db: Database, signer: AuditSigner, options: SequencerOptions = {}): Promise<SequencerPass> {
  return db.transaction('platform', (tx) => sequenceAccessLog(tx, signer, options));
}

/** One pass in the caller's platform-scope transaction (see above for what it may see). */
export async function sequenceAccessLog(tx: Tx, signer: AuditSigner, options: SequencerOptions = {}): Promise<SequencerPass> {
  const { maxLeaves = 50_000, batchSize = 1000, now = () => new Date() } = options;
  const scope = await tx.query<{ platform: boolean }>('SELECT current_insurer() IS NULL AS platform');
  // In an insurer's scope, row-level security would hide the other insurers' records.
  if (scope.rows[0]?.platform !== true) throw new RempartError('AUDIT_LOG_INCONSISTENT', 'le séquenceur doit tourner hors de tout organisme');
  if (!(await takeLock(tx, options.wait === true))) return { status: 'busy', appended: 0, treeSize: 0, checkpoint: undefined, pending: 0, quarantined: 0 };
  await tx.query('SELECT audit_ensure_partitions()');

  const last = await lastCheckpoint(tx);
  const frontier = last ? MerkleFrontier.restore(last.treeSize, last.frontier) : MerkleFrontier.empty();
  await checkStart(tx, signer, last, frontier);
  await ensureNodes(tx, last?.treeSize ?? 0);
  const watermark = last?.watermark ?? 0n;
  const xmin = BigInt((await tx.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin')).rows[0]?.xmin ?? '0');
  if (xmin < watermark) {
    throw new RempartError('AUDIT_XID_REWOUND', `xmin ${xmin} < filigrane ${watermark} du point de contrôle ${last?.treeSize ?? 0}`);
  }

  // One cursor for the pass: the records are sorted (or walked in index order) once, then
  // fetched a batch at a time, so a backlog costs one pass over it, not one per batch.
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`taille de lot invalide : ${batchSize}`);
  await tx.query(
    `DECLARE audit_sequence NO SCROLL CURSOR FOR
       SELECT ${RECORD_COLUMNS} FROM access_record r WHERE r.xid >= $1::xid8 AND r.xid < $2::xid8 ORDER BY r.xid, r.id`,
    [watermark.toString(), xmin.toString()],
  );
  let next = xmin;
  let full = false;
  let lastXid: bigint | undefined;
  const gate = new SealGate(tx, options.sealer ?? accessSealer());
  scan: for (;;) {
    const batch = await tx.query<RecordRow>(`FETCH ${batchSize} FROM audit_sequence`);
    const records = batch.rows.map(toStoredRecord);
    const admitted = await gate.admit(records);
    const leaves: LeafRow[] = [];
    const nodes: CompletedNode[] = [];
    const keepNode = (node: CompletedNode): void => {
      if (node.level % NODE_LEVELS === 0) nodes.push(node);
    };
    for (const record of records) {
      // Stop between two transactions only, so that the watermark stays exact: every
      // record below it is in the tree or quarantined, every record at or above it is not.
      if (full && record.xid !== lastXid) {
        next = record.xid;
        await insertLeaves(tx, leaves, nodes);
        break scan;
      }
      lastXid = record.xid;
      if (!admitted.has(record)) continue;
      const hash = leafHash(encodeLeaf(record));
      leaves.push({ index: frontier.size, at: microsToIso(record.atMicros), id: record.id, nonce: sealNonce(record.seal), hash });
      frontier.append(hash, keepNode);
      full = frontier.size - (last?.treeSize ?? 0) >= maxLeaves;
    }
    await insertLeaves(tx, leaves, nodes);
    if (batch.rows.length < batchSize) break;
  }
  await tx.query('CLOSE audit_sequence');

  const quarantined = await gate.quarantine(now());
  const pending = await countPending(tx, next);
  const appended = frontier.size - (last?.treeSize ?? 0);
  if (appended === 0) return { status: 'idle', appended, treeSize: frontier.size, checkpoint: undefined, pending, quarantined };
  const checkpoint = await writeCheckpoint(tx, signer, frontier, next, now());
  return { status: 'appended', appended, treeSize: frontier.size, checkpoint, pending, quarantined };
}

async function takeLock(tx: Tx, wait: boolean): Promise<boolean> {
  if (wait) {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEQUENCER_LOCK]);
    return true;
  }
  const taken = await tx.query<{ taken: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS taken', [SEQUENCER_LOCK]);
  return taken.rows[0]?.taken === true;
}

/** The last checkpoint, with the frontier the next pass extends. */
type StoredHead = Checkpoint & { frontier: Buffer };

async function lastCheckpoint(tx: Tx): Promise<StoredHead | undefined> {
  const row = (await tx.query<CheckpointRow>(`${CHECKPOINT_SELECT} ORDER BY tree_size DESC LIMIT 1`)).rows[0];
  return (
    row && {
      treeSize: row.tree_size,
      rootHash: Buffer.from(row.root_hash),
      createdAtMicros: BigInt(row.created_us),
      keyId: row.key_id,
      signature: Buffer.from(row.signature),
      watermark: BigInt(row.watermark),
      frontier: Buffer.from(row.frontier),
    }
  );
}

/**
 * Appending to a damaged tree would sign the damage: check the state first, cheaply. The
 * last head must carry a valid signature when it is under this key (after a key rotation,
 * the first pass extends a head of the previous key, which `rempart audit verify` checks).
 */
async function checkStart(tx: Tx, signer: AuditSigner, last: StoredHead | undefined, frontier: MerkleFrontier): Promise<void> {
  const leaves = (await tx.query<{ leaves: number }>('SELECT coalesce(max(leaf_index) + 1, 0) AS leaves FROM access_leaf')).rows[0]?.leaves ?? 0;
  const expected = last?.treeSize ?? 0;
  if (leaves !== expected) throw new RempartError('AUDIT_LOG_INCONSISTENT', `${leaves} feuilles pour un dernier point de contrôle de ${expected}`);
  if (!last) return;
  if (!frontier.root().equals(last.rootHash)) {
    throw new RempartError('AUDIT_LOG_INCONSISTENT', `le bord enregistré ne donne pas la racine du point de contrôle ${last.treeSize}`);
  }
  if (last.keyId === signer.keyId && new TrustedKeys([signer.publicKey]).check(last, last.signature) !== 'valid') {
    throw new RempartError('AUDIT_LOG_INCONSISTENT', `la signature du point de contrôle ${last.treeSize} est fausse`);
  }
}

interface LeafRow {
  index: number;
  at: string;
  id: number;
  /** The seal's nonce, unique among leaves (null for a record written before seals). */
  nonce: Buffer | null;
  hash: Buffer;
}

async function insertLeaves(tx: Tx, leaves: readonly LeafRow[], nodes: readonly CompletedNode[]): Promise<void> {
  if (leaves.length === 0) return;
  await tx.query(
    `INSERT INTO access_leaf (leaf_index, record_at, record_id, leaf_hash, seal_nonce)
     SELECT leaf_index, record_at, record_id, decode(leaf_hash, 'hex'), decode(seal_nonce, 'hex')
       FROM unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::text[], $5::text[]) AS u(leaf_index, record_at, record_id, leaf_hash, seal_nonce)`,
    [
      leaves.map((leaf) => leaf.index),
      leaves.map((leaf) => leaf.at),
      leaves.map((leaf) => leaf.id),
      leaves.map((leaf) => leaf.hash.toString('hex')),
      leaves.map((leaf) => leaf.nonce?.toString('hex') ?? null),
    ],
  );
  await insertNodes(tx, nodes);
}

async function countPending(tx: Tx, watermark: bigint): Promise<number> {
  const pending = await tx.query<{ pending: number }>('SELECT count(*)::int AS pending FROM access_record WHERE xid >= $1::xid8', [watermark.toString()]);
  return pending.rows[0]?.pending ?? 0;
}

async function writeCheckpoint(tx: Tx, signer: AuditSigner, frontier: MerkleFrontier, watermark: bigint, createdAt: Date): Promise<Checkpoint> {
  const createdAtMicros = BigInt(createdAt.getTime()) * 1000n;
  const rootHash = frontier.root();
  const signature = signer.sign({ treeSize: frontier.size, rootHash, createdAtMicros });
  await tx.query(
    `INSERT INTO audit_checkpoint (tree_size, root_hash, created_at, key_id, signature, watermark, frontier)
     VALUES ($1, $2, $3::timestamptz, $4, $5, $6::xid8, $7)`,
    [frontier.size, rootHash, microsToIso(createdAtMicros), signer.keyId, signature, watermark.toString(), frontier.pack()],
  );
  return { treeSize: frontier.size, rootHash, createdAtMicros, keyId: signer.keyId, signature, watermark };
}
