import type { Database, Tx } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { CHECKPOINT_SELECT, type CheckpointRow } from './checkpoint-row.js';
import type { CheckpointBody } from './checkpoint-signer.js';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from './merkle.js';
import { storedRanges } from './nodes.js';

/**
 * Proofs anyone can check with the checkpoint's public key and RFC 9162's algorithms,
 * without reading the log: that a record is in the signed tree (inclusion), and that a
 * later signed tree extends an earlier one (consistency). Hashes in lowercase hexadecimal,
 * signatures in base64, the checkpoint's time in microseconds (the signed text's form).
 */
export interface SignedHead {
  treeSize: number;
  rootHash: string;
  createdAtMicros: string;
  keyId: string;
  signature: string;
}

export interface RecordInclusion {
  recordId: number;
  recordAt: string;
  leafIndex: number;
  leafHash: string;
  head: SignedHead;
  /** The audit path, from the leaf up (RFC 9162 §2.1.3). */
  path: string[];
}

export interface HeadConsistency {
  from: SignedHead;
  to: SignedHead;
  /** RFC 9162 §2.1.4; empty between equal heads. */
  proof: string[];
}

/** That record `recordId` is in the signed tree of `treeSize` leaves (the latest checkpoint by default). */
export function proveRecord(db: Database, recordId: number, treeSize?: number): Promise<RecordInclusion> {
  return db.transaction('platform', async (tx) => {
    const leaf = (
      await tx.query<{ leaf_index: number; leaf_hash: Uint8Array; record_at: string }>(
        `SELECT leaf_index::int AS leaf_index, leaf_hash, to_char(record_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS record_at
           FROM access_leaf WHERE record_id = $1`,
        [recordId],
      )
    ).rows[0];
    const head = await signedHead(tx, treeSize);
    if (!leaf || leaf.leaf_index >= head.treeSize) throw new RempartError('AUDIT_RECORD_NOT_IN_TREE', `accès ${recordId}`);
    const path = await inclusionProof(leaf.leaf_index, head.treeSize, storedRanges(tx));
    // A path from damaged nodes would not verify: say so rather than hand it out.
    if (!verifyInclusion(leaf.leaf_index, head.treeSize, leaf.leaf_hash, path, Buffer.from(head.rootHash, 'hex'))) {
      throw new RempartError('AUDIT_LOG_INCONSISTENT', `le chemin de la feuille ${leaf.leaf_index} ne mène pas à la racine signée`);
    }
    return { recordId, recordAt: leaf.record_at, leafIndex: leaf.leaf_index, leafHash: Buffer.from(leaf.leaf_hash).toString('hex'), head, path: path.map(hex) };
  });
}

/** That the signed tree of `toSize` leaves extends the signed tree of `fromSize` leaves. */
export function proveConsistency(db: Database, fromSize: number, toSize: number): Promise<HeadConsistency> {
  return db.transaction('platform', async (tx) => {
    const [from, to] = [await signedHead(tx, fromSize), await signedHead(tx, toSize)];
    if (from.treeSize > to.treeSize) throw new RempartError('AUDIT_CHECKPOINT_UNKNOWN', `${fromSize} > ${toSize} : la plus ancienne d’abord`);
    const proof = await consistencyProof(from.treeSize, to.treeSize, storedRanges(tx));
    if (!verifyConsistency(from.treeSize, to.treeSize, Buffer.from(from.rootHash, 'hex'), Buffer.from(to.rootHash, 'hex'), proof)) {
      throw new RempartError('AUDIT_LOG_INCONSISTENT', `le point de contrôle ${to.treeSize} ne prolonge pas le ${from.treeSize}`);
    }
    return { from, to, proof: proof.map(hex) };
  });
}

/** Every signed head, oldest first (what witnesses keep). */
export function signedHeads(db: Database, sinceSize = 0): Promise<SignedHead[]> {
  return db.transaction('platform', async (tx) => {
    const rows = await tx.query<CheckpointRow>(`${CHECKPOINT_SELECT} WHERE tree_size > $1 ORDER BY tree_size`, [sinceSize]);
    return rows.rows.map(headOf);
  });
}

/**
 * The latest `limit` signed heads of at least `fromSize` leaves, oldest first, and how many
 * such heads there are: the sizes an inclusion or consistency proof may name.
 */
export function recentHeads(db: Database, options: { limit: number; fromSize?: number }): Promise<{ heads: SignedHead[]; total: number }> {
  const from = options.fromSize ?? 0;
  return db.transaction('platform', async (tx) => {
    const rows = await tx.query<CheckpointRow>(`${CHECKPOINT_SELECT} WHERE tree_size >= $1 ORDER BY tree_size DESC LIMIT $2`, [from, options.limit]);
    const total = await tx.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_checkpoint WHERE tree_size >= $1', [from]);
    return { heads: rows.rows.map(headOf).reverse(), total: Number(total.rows[0]?.n ?? 0) };
  });
}

/** What a head's signature covers, back from its JSON form: to check it with `TrustedKeys`. */
export function signedBody(head: SignedHead): CheckpointBody {
  return { treeSize: head.treeSize, rootHash: Buffer.from(head.rootHash, 'hex'), createdAtMicros: BigInt(head.createdAtMicros), keyId: head.keyId };
}

async function signedHead(tx: Tx, treeSize: number | undefined): Promise<SignedHead> {
  const rows =
    treeSize === undefined
      ? await tx.query<CheckpointRow>(`${CHECKPOINT_SELECT} ORDER BY tree_size DESC LIMIT 1`)
      : await tx.query<CheckpointRow>(`${CHECKPOINT_SELECT} WHERE tree_size = $1`, [treeSize]);
  const row = rows.rows[0];
  if (!row) throw new RempartError('AUDIT_CHECKPOINT_UNKNOWN', treeSize === undefined ? 'journal vide' : `taille ${treeSize}`);
  return headOf(row);
}

function headOf(row: CheckpointRow): SignedHead {
  return {
    treeSize: Number(row.tree_size),
    rootHash: hex(row.root_hash),
    createdAtMicros: row.created_us,
    keyId: row.key_id,
    signature: Buffer.from(row.signature).toString('base64'),
  };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
