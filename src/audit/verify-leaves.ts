import type { Database } from '../db/database.js';
import { CopyBinaryReader } from '../db/copy-binary.js';
import { WIRE_RECORD_COLUMNS, WIRE_RECORD_FIELDS, WireLeafWriter } from './leaf-wire.js';
import { HASH_BYTES } from './merkle.js';

/** Columns of a leaf batch: the leaf's, then its record's (WIRE_RECORD_COLUMNS, all NULL when the record is not there). */
const LEAF_INDEX = 0;
const LEAF_RECORD = 1;
const LEAF_HASH = 2;
const LEAF_AT = 3;
const RECORD = 4;
const RECORD_XID = RECORD + 2;
const BATCH_FIELDS = RECORD + WIRE_RECORD_FIELDS;

export const DEFAULT_VERIFY_BATCH = 50_000;

/**
 * The leaves [0, end) with their records, as the verifier walks them: a range of leaf
 * indexes per batch, in binary COPY (a row decoded into an object costs more than hashing
 * it). The next batch is asked for before the current one is walked, so that the server
 * reads while this process hashes; each batch is its own short transaction, so memory
 * stays bounded at any size and, on the embedded store, the platform keeps serving
 * between batches. A range with missing leaves comes back short: the walk then finds the
 * gap, or the truncated tail once the ranges run out.
 */
export class LeafBatches {
  private from = 0;
  private pending: Promise<Buffer> | undefined;
  private readonly encoder = new WireLeafWriter();

  constructor(
    private readonly db: Database,
    private readonly end: number,
    private readonly size: number = DEFAULT_VERIFY_BATCH,
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`taille de lot invalide : ${size}`);
  }

  async next(): Promise<LeafCursor | undefined> {
    this.pending ??= this.fetch();
    if (this.pending === undefined) return undefined;
    const buffer = await this.pending;
    this.pending = this.fetch();
    return new LeafCursor(new CopyBinaryReader(buffer, BATCH_FIELDS), this.encoder);
  }

  /** Waits for a batch still being read, so that nothing outlives the walk (its error no longer matters). */
  async close(): Promise<void> {
    await this.pending?.catch(() => undefined);
    this.pending = undefined;
  }

  private fetch(): Promise<Buffer> | undefined {
    if (this.from >= this.end) return undefined;
    const lo = this.from;
    const hi = Math.min(lo + this.size, this.end);
    this.from = hi;
    // LATERAL: one primary-key probe per leaf, in the one partition of its month, whatever
    // the planner's statistics say (a hash join would scan the whole log at every batch).
    // lo and hi are integers of this process: COPY takes no parameters.
    const query = `SELECT l.leaf_index, l.record_id, l.leaf_hash, l.record_at, ${WIRE_RECORD_COLUMNS}
         FROM (SELECT * FROM access_leaf WHERE leaf_index >= ${lo} AND leaf_index < ${hi} ORDER BY leaf_index) l
         LEFT JOIN LATERAL (SELECT * FROM access_record a WHERE a.id = l.record_id AND a.at = l.record_at LIMIT 1) r ON true
        ORDER BY l.leaf_index`;
    const batch = this.db.transaction('platform', (tx) => tx.copyOut(query));
    // Not awaited until the walk gets there; a walk that stops first waits for it in close().
    batch.catch(() => undefined);
    return batch;
  }
}

/** One batch's leaves, one at a time: `next()`, then the current leaf's fields. */
export class LeafCursor {
  constructor(
    private readonly rows: CopyBinaryReader,
    private readonly encoder: WireLeafWriter,
  ) {}

  next(): boolean {
    return this.rows.next();
  }

  get leafIndex(): number {
    return this.rows.int64(LEAF_INDEX) ?? -1;
  }

  /** The record the leaf names. */
  get recordId(): number {
    return this.rows.int64(LEAF_RECORD) ?? -1;
  }

  /** The leaf hash as stored (a view into the batch). */
  get storedHash(): Buffer {
    this.rows.expectLength(LEAF_HASH, HASH_BYTES);
    return this.rows.bytes(LEAF_HASH);
  }

  /** YYYY-MM (UTC) of the leaf's record_at: the month a drop record would cover. */
  get month(): string {
    return new Date(Number(this.rows.unixMicros(LEAF_AT) / 1000n)).toISOString().slice(0, 7);
  }

  /** Whether the record is where the leaf says (same id, same instant). */
  get found(): boolean {
    return !this.rows.isNull(RECORD);
  }

  /** The record as found: its id, its xid, its leaf bytes (null when no record could encode so: see leaf-wire.ts). */
  get foundId(): number {
    return this.rows.int64(RECORD) ?? -1;
  }

  get foundXid(): bigint {
    this.rows.expectLength(RECORD_XID, 8);
    return this.rows.buffer.readBigUInt64BE(this.rows.start(RECORD_XID));
  }

  foundLeaf(): Buffer | null {
    return this.encoder.encode(this.rows, RECORD);
  }
}
