import type { Database } from '../db/database.js';
import { RempartError, type ErrorCode } from '../domain/errors/codes.js';
import type { AccessSealer } from './access-seal.js';
import { CHECKPOINT_SELECT, type CheckpointRow } from './checkpoint-row.js';
import type { CheckpointBody, TrustedKeys } from './checkpoint-signer.js';
import { decodeLeaf, RECORD_COLUMNS, SEALED_LEAF_FORMAT_VERSION, toStoredRecord, type RecordRow } from './leaf.js';
import { leafHash, MerkleFrontier } from './merkle.js';
import { DROP_SELECT, type DropRow } from './retention-row.js';
import { DroppedMonths, type DropFailure } from './verify-drops.js';
import { LeafBatches, type LeafCursor } from './verify-leaves.js';

/**
 * Checks the whole access log against its leaves and signed checkpoints, in leaf order,
 * in batches of leaf indexes read in binary COPY (src/audit/verify-leaves.ts). What is
 * checked, stopping at the first failure:
 *
 *  - leaf indexes run 0, 1, 2… without gap up to the last checkpoint's tree size;
 *  - each leaf's record exists and encodes to the leaf's hash (src/audit/leaf.ts), unless
 *    its month was dropped by the retention policy: then the month's drop record must be
 *    signed by a trusted key and name exactly the month's leaves (src/audit/verify-drops.ts);
 *    such a leaf's hash cannot be recomputed, only its place under the signed roots checked;
 *  - records come in strictly increasing (xid, id) order, the sequencer's order, hence
 *    each record at most once;
 *  - at every checkpoint, the root recomputed from the leaves equals the stored root, the
 *    stored frontier equals the recomputed one, and the signature is valid under a
 *    trusted key;
 *  - tree heads kept outside the database (`expected`) are still in the log: this is what
 *    catches an attacker who deleted the newest checkpoints along with their records;
 *  - no record older than the last checkpoint's watermark is missing from the tree (the
 *    records dropped by policy counted as the leaves that lost their record), except the
 *    records the sequencer set aside (access_quarantine), each of which must indeed lack
 *    a valid seal, or repeat the nonce of a sequenced one;
 *  - with the seal key (`sealer`), each record's seal (src/audit/access-seal.ts): a record
 *    in the tree without the application's valid seal was written by someone holding the
 *    database and signed by someone holding the signing key; without the key, only that
 *    no unsealed record follows a sealed one in the tree.
 *
 * Only what the last checkpoint covered when the check started is checked: the sequencer
 * may append meanwhile. With `treeSize`, only the tree of that signed checkpoint is checked,
 * as if it were the last (the leaves after it are not read); `pending` still counts the
 * records the latest checkpoint has not sequenced.
 */
export interface VerifyOptions {
  /** Leaves read per batch (DEFAULT_VERIFY_BATCH). */
  batchSize?: number;
  /** Tree heads held outside the database (published, or kept by insurers). */
  expected?: readonly TreeHead[];
  /** Check only up to the signed checkpoint of this size (which must exist). */
  treeSize?: number;
  /** The key that checks the records' seals; without it, the seals are not recomputed. */
  sealer?: AccessSealer;
}

export interface TreeHead {
  treeSize: number;
  rootHash: Uint8Array;
}

export type AuditProblemCode = Extract<
  ErrorCode,
  | 'AUDIT_LEAF_GAP'
  | 'AUDIT_RECORD_MISSING'
  | 'AUDIT_RECORD_MODIFIED'
  | 'AUDIT_LEAF_ORDER'
  | 'AUDIT_ROOT_MISMATCH'
  | 'AUDIT_LOG_INCONSISTENT'
  | 'AUDIT_SIGNATURE_INVALID'
  | 'AUDIT_KEY_UNKNOWN'
  | 'AUDIT_HEAD_MISMATCH'
  | 'AUDIT_TAIL_TRUNCATED'
  | 'AUDIT_UNSEQUENCED'
  | 'AUDIT_DROP_SIGNATURE_INVALID'
  | 'AUDIT_DROP_MISMATCH'
  | 'AUDIT_RECORD_FORGED'
>;

/** The first thing found wrong, and where: the leaf and record when there is one. */
export interface AuditProblem {
  code: AuditProblemCode;
  leafIndex: number | undefined;
  recordId: number | undefined;
  treeSize: number | undefined;
  detail: string;
}

/** Months dropped by the retention policy: their records are gone, their leaves kept. */
export interface RetentionSummary {
  months: number;
  records: number;
  /** Leaves whose record was dropped: their hash could not be recomputed, only its place under the signed roots. */
  unchecked: number;
}

/** What the log holds besides the tree: records the sequencer refused, and whether their seals were recomputed. */
export interface SealSummary {
  /** Seals recomputed with the key (`checked`), or only their presence checked (`unchecked`). */
  seals: 'checked' | 'unchecked';
  /** Records set aside by the sequencer (no valid seal, or a replayed one): each an intrusion into the database. */
  quarantined: number;
}

type Verified = { ok: true; leaves: number; checkpoints: number; rootHash: Buffer; pending: number; keyIds: string[]; retention: RetentionSummary } & SealSummary;

export type VerifyReport = Verified | { ok: false; problem: AuditProblem; leavesChecked: number; checkpointsChecked: number };

/** What the walk found: the whole log checked, or the first problem, returned up from the check that found it. */
type Walked = Verified | Failed;

/** A check's outcome: passed, or failed with the first problem found, which ends the walk. */
type Check = { readonly ok: true } | Failed;
type Failed = { readonly ok: false; readonly problem: AuditProblem };

/** One object for every passed check: the walk checks each of millions of leaves. */
const PASSED: Check = Object.freeze({ ok: true });

function failed(code: AuditProblemCode, detail: string, at: { leafIndex?: number; recordId?: number; treeSize?: number } = {}): Failed {
  return { ok: false, problem: { code, detail, leafIndex: at.leafIndex, recordId: at.recordId, treeSize: at.treeSize } };
}

/** A problem of the dropped months, as the walk's. */
function dropFailed(check: DropFailure): Failed {
  return failed(check.code, check.detail, check.at);
}

export async function verifyAccessLog(db: Database, keys: TrustedKeys, options: VerifyOptions = {}): Promise<VerifyReport> {
  const state = { leaves: 0, checkpoints: 0 };
  const walked = await walk(db, keys, options, state);
  if (!walked.ok) return { ok: false, problem: walked.problem, leavesChecked: state.leaves, checkpointsChecked: state.checkpoints };
  return walked;
}

async function walk(db: Database, keys: TrustedKeys, options: VerifyOptions, state: { leaves: number; checkpoints: number }): Promise<Walked> {
  const expected = [...(options.expected ?? [])].sort((a, b) => a.treeSize - b.treeSize);
  const read = <R>(sql: string, params: unknown[]): Promise<R[]> => db.transaction('platform', async (tx) => (await tx.query<R>(sql, params)).rows);

  const latest = (await read<CheckpointRow>(`${CHECKPOINT_SELECT} ORDER BY tree_size DESC LIMIT 1`, []))[0];
  const top = options.treeSize === undefined ? latest : (await read<CheckpointRow>(`${CHECKPOINT_SELECT} WHERE tree_size = $1`, [options.treeSize]))[0];
  if (options.treeSize !== undefined && !top) throw new RempartError('AUDIT_CHECKPOINT_UNKNOWN', `taille ${options.treeSize}`);
  const end = top?.tree_size ?? 0;
  const frontier = MerkleFrontier.empty();
  const checkpoints = await CheckpointStream.open(read, end);
  // Read after the top checkpoint: a month dropped meanwhile has all its leaves below it.
  const drops = new DroppedMonths(await read<DropRow>(`${DROP_SELECT} ORDER BY month`, []), keys);
  const leaves = new LeafBatches(db, end, options.batchSize);
  let unchecked = 0;
  let previous: Previous;
  const seals = new SealCheck(options.sealer);

  try {
    for (let leaf = await leaves.next(); leaf; leaf = await leaves.next()) {
      while (leaf.next()) {
        const index = frontier.size;
        const at = { leafIndex: index, recordId: leaf.recordId };
        if (leaf.leafIndex !== index) return failed('AUDIT_LEAF_GAP', `la feuille ${index} manque (la suivante est ${leaf.leafIndex})`, { leafIndex: index });
        const stored = leaf.storedHash;
        const drop = drops.months > 0 ? drops.leaf(index, leaf.month, stored, at) : undefined;
        if (drop && !drop.ok) return dropFailed(drop);
        const dropped = drop?.dropped ?? false;
        if (!leaf.found && !dropped) return await missing(read, at.recordId, at);
        if (leaf.found) {
          const current = { leafIndex: index, recordId: leaf.foundId, xid: leaf.foundXid };
          const check = checkRecord(leaf, stored, previous, current, at, seals);
          if (!check.ok) return check;
          previous = current;
        } else {
          unchecked += 1;
        }
        // A record dropped by policy leaves its hash as stored, pinned by the signed roots.
        frontier.append(stored);
        state.leaves = frontier.size;
        if (frontier.size === checkpoints.nextSize) {
          const check = await checkpoints.check(frontier, keys, state, at);
          if (!check.ok) return check;
        }
        if (expected.length > 0) {
          const check = checkExpected(expected, frontier, at);
          if (!check.ok) return check;
        }
        // Let the socket be read meanwhile: the next batch streams in while this one is hashed.
        if (index % YIELD_EVERY === 0) await new Promise(setImmediate);
      }
    }
  } finally {
    await leaves.close();
  }

  if (frontier.size < end) {
    const lost = await firstUnsequenced(read, top);
    return failed('AUDIT_TAIL_TRUNCATED', `le point de contrôle ${end} couvre ${end} feuilles, le journal n'en a que ${frontier.size}`, {
      leafIndex: frontier.size,
      recordId: lost,
      treeSize: end,
    });
  }
  const beyond = expected.find((head) => head.treeSize > end);
  if (beyond) {
    return failed('AUDIT_TAIL_TRUNCATED', `une tête d'arbre conservée hors de la base compte ${beyond.treeSize} feuilles, le journal signé ${end}`, {
      leafIndex: end,
      treeSize: beyond.treeSize,
    });
  }
  const finished = drops.finish(end, { leafIndex: end });
  if (!finished.ok) return dropFailed(finished);
  const quarantine = await checkQuarantine(read, options.sealer);
  if (!quarantine.ok) return quarantine;
  if (top) {
    const older = await read<{ n: number }>(`SELECT count(*)::bigint AS n FROM access_record r WHERE r.xid < $1::xid8 AND ${NOT_QUARANTINED}`, [top.watermark]);
    const present = older[0]?.n ?? 0;
    if (present + unchecked !== end) {
      const lost = await firstUnsequenced(read, top);
      return failed('AUDIT_UNSEQUENCED', `${present + unchecked - end} enregistrement(s) antérieur(s) au filigrane ${top.watermark} hors de l'arbre`, {
        recordId: lost,
        treeSize: end,
      });
    }
  }
  const pending = await read<{ n: number }>('SELECT count(*)::bigint AS n FROM access_record WHERE xid >= $1::xid8', [latest?.watermark ?? '0']);
  const retention = { months: drops.months, records: drops.records, unchecked };
  return {
    ok: true,
    leaves: end,
    checkpoints: state.checkpoints,
    rootHash: frontier.root(),
    pending: pending[0]?.n ?? 0,
    keyIds: checkpoints.keyIds(),
    retention,
    seals: options.sealer ? 'checked' : 'unchecked',
    quarantined: quarantine.records,
  };
}

/** Leaves walked between two turns of the event loop. */
const YIELD_EVERY = 2048;

type Sequenced = { leafIndex: number; recordId: number; xid: bigint };
type Previous = Sequenced | undefined;

/**
 * A present record (`current`: its leaf, id and xid): it must encode to its leaf's hash,
 * carry the application's seal, and follow the previous one in the sequencer's order.
 */
function checkRecord(leaf: LeafCursor, stored: Buffer, previous: Previous, current: Sequenced, at: { leafIndex: number; recordId: number }, seals: SealCheck): Check {
  const { leafIndex: index, recordId: id, xid } = current;
  const bytes = leaf.foundLeaf();
  if (bytes === null || !leafHash(bytes).equals(stored)) return failed('AUDIT_RECORD_MODIFIED', `l'enregistrement ${id} ne donne plus le hachage de la feuille ${index}`, at);
  const sealed = seals.check(bytes, at);
  if (!sealed.ok) return sealed;
  if (previous && (xid < previous.xid || (xid === previous.xid && id <= previous.recordId))) {
    return failed(
      'AUDIT_LEAF_ORDER',
      `les feuilles ${previous.leafIndex} (enregistrement ${previous.recordId}) et ${index} (enregistrement ${id}) ne sont pas dans l'ordre du séquenceur`,
      { leafIndex: previous.leafIndex, recordId: previous.recordId },
    );
  }
  return PASSED;
}

type Read = <R>(sql: string, params: unknown[]) => Promise<R[]>;

/** Checkpoints up to `end`, read a batch at a time as the walk reaches them. */
class CheckpointStream {
  private queue: CheckpointRow[] = [];
  private after = 0;
  private done = false;
  private readonly used = new Set<string>();

  private constructor(
    private readonly read: Read,
    private readonly end: number,
  ) {}

  static async open(read: Read, end: number): Promise<CheckpointStream> {
    const stream = new CheckpointStream(read, end);
    await stream.fill();
    return stream;
  }

  /** The tree size of the next checkpoint to check (Infinity when none is left): compared at every leaf, so not a promise. */
  get nextSize(): number {
    return this.queue[0]?.tree_size ?? Infinity;
  }

  private async fill(): Promise<void> {
    if (this.queue.length > 0 || this.done) return;
    this.queue = await this.read<CheckpointRow>(`${CHECKPOINT_SELECT} WHERE tree_size > $1 AND tree_size <= $2 ORDER BY tree_size LIMIT 1000`, [this.after, this.end]);
    this.done = this.queue.length === 0;
  }

  /** Checks the next checkpoint, which the walk has just reached (`nextSize`). */
  async check(frontier: MerkleFrontier, keys: TrustedKeys, state: { checkpoints: number }, at: { leafIndex: number; recordId: number }): Promise<Check> {
    const head = this.queue.shift();
    if (head === undefined || head.tree_size !== frontier.size) throw new Error(`point de contrôle ${head?.tree_size ?? '-'} vérifié à ${frontier.size} feuilles`);
    this.after = head.tree_size;
    const where = { ...at, treeSize: head.tree_size };
    const root = frontier.root();
    if (!root.equals(head.root_hash)) {
      return failed('AUDIT_ROOT_MISMATCH', `la racine recalculée sur ${head.tree_size} feuilles diffère de celle du point de contrôle`, where);
    }
    if (!frontier.pack().equals(head.frontier)) return failed('AUDIT_LOG_INCONSISTENT', `le bord enregistré du point de contrôle ${head.tree_size} est faux`, where);
    const body: CheckpointBody = { treeSize: head.tree_size, rootHash: root, createdAtMicros: BigInt(head.created_us), keyId: head.key_id };
    const signature = keys.check(body, head.signature);
    if (signature === 'unknown-key') return failed('AUDIT_KEY_UNKNOWN', `point de contrôle ${head.tree_size} signé par la clé ${head.key_id}, qui n'est pas de confiance`, where);
    if (signature === 'invalid') return failed('AUDIT_SIGNATURE_INVALID', `la signature du point de contrôle ${head.tree_size} est fausse`, where);
    this.used.add(head.key_id);
    state.checkpoints += 1;
    await this.fill();
    return PASSED;
  }

  keyIds(): string[] {
    return [...this.used];
  }
}

function checkExpected(expected: readonly TreeHead[], frontier: MerkleFrontier, at: { leafIndex: number; recordId: number }): Check {
  for (const head of expected) {
    if (head.treeSize !== frontier.size) continue;
    if (!frontier.root().equals(head.rootHash)) {
      return failed('AUDIT_HEAD_MISMATCH', `les ${head.treeSize} premières feuilles ne donnent plus la racine conservée hors de la base`, { ...at, treeSize: head.treeSize });
    }
  }
  return PASSED;
}

/** A leaf's record is not where the leaf says: deleted, or moved to another time. */
async function missing(read: Read, recordId: number, at: { leafIndex: number; recordId: number }): Promise<Failed> {
  const moved = await read<{ at: string }>('SELECT r.at::text AS at FROM access_record r WHERE r.id = $1 LIMIT 1', [recordId]);
  if (moved[0]) return failed('AUDIT_RECORD_MODIFIED', `l'enregistrement ${recordId} de la feuille ${at.leafIndex} a changé d'heure (${moved[0].at})`, at);
  return failed('AUDIT_RECORD_MISSING', `l'enregistrement ${recordId} de la feuille ${at.leafIndex} n'existe plus`, at);
}

/** A record `r` the sequencer did not set aside. */
const NOT_QUARANTINED = 'NOT EXISTS (SELECT 1 FROM access_quarantine q WHERE q.record_id = r.id AND q.record_at = r.at)';

/**
 * The seals of the leaves' records, in leaf order. With the key, each is recomputed;
 * without it, only what needs no key: once a sealed record is in the tree, every later
 * one is sealed (the sequencer signs no other since migration 022).
 */
class SealCheck {
  private sealedSeen = false;

  constructor(private readonly sealer: AccessSealer | undefined) {}

  check(bytes: Buffer, at: { leafIndex: number; recordId: number }): Check {
    if (bytes[0] !== SEALED_LEAF_FORMAT_VERSION) {
      if (!this.sealedSeen) return PASSED;
      return failed('AUDIT_RECORD_FORGED', `l'enregistrement ${at.recordId} de la feuille ${at.leafIndex} n'a pas de sceau, après des enregistrements scellés`, at);
    }
    this.sealedSeen = true;
    if (this.sealer === undefined || this.sealer.check(decodeLeaf(bytes)) === 'valid') return PASSED;
    return failed('AUDIT_RECORD_FORGED', `le sceau de l'enregistrement ${at.recordId} (feuille ${at.leafIndex}) n'est pas celui de l'application`, at);
  }
}

/**
 * The records the sequencer set aside: each must indeed be refused — no valid seal, or the
 * nonce of a sequenced record — or a real record was hidden from the tree under the
 * pretence of a forgery. Without the key, only counted.
 */
async function checkQuarantine(read: Read, sealer: AccessSealer | undefined): Promise<{ ok: true; records: number } | Failed> {
  const rows = await read<RecordRow & { replayed: boolean }>(
    `SELECT ${RECORD_COLUMNS}, EXISTS (SELECT 1 FROM access_leaf l WHERE l.seal_nonce = substring(r.seal FROM 3 FOR 16)) AS replayed
       FROM access_quarantine q JOIN access_record r ON r.id = q.record_id AND r.at = q.record_at ORDER BY r.xid, r.id`,
    [],
  );
  for (const row of rows) {
    if (sealer === undefined || row.replayed || sealer.check(toStoredRecord(row)) !== 'valid') continue;
    return failed('AUDIT_UNSEQUENCED', `l'enregistrement ${row.id}, écarté comme falsifié, porte un sceau valide et unique`, { recordId: row.id });
  }
  return { ok: true, records: rows.length };
}

/** The first record, in sequencer order, that the watermark says is final but no leaf names. */
async function firstUnsequenced(read: Read, top: CheckpointRow | undefined): Promise<number | undefined> {
  if (!top) return undefined;
  const rows = await read<{ id: number }>(
    `SELECT r.id FROM access_record r
      WHERE r.xid < $1::xid8 AND NOT EXISTS (SELECT 1 FROM access_leaf l WHERE l.record_id = r.id AND l.record_at = r.at) AND ${NOT_QUARANTINED}
      ORDER BY r.xid, r.id LIMIT 1`,
    [top.watermark],
  );
  return rows[0]?.id;
}
