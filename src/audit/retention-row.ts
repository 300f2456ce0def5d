import type { DropBody } from './retention-message.js';

/** A drop record as stored (audit_retention_drop), times in microseconds as text. */
export interface DropRow {
  month: string;
  partition: string;
  records: number;
  first_leaf: number | null;
  last_leaf: number | null;
  leaves_digest: Uint8Array;
  dropped_us: string;
  key_id: string;
  signature: Uint8Array;
}

/** How retention and the verifier read drop records; callers add WHERE / ORDER BY. */
export const DROP_SELECT = `SELECT to_char(month, 'YYYY-MM') AS month, partition, records, first_leaf, last_leaf, leaves_digest,
  (extract(epoch FROM dropped_at) * 1000000)::bigint::text AS dropped_us, key_id, signature FROM audit_retention_drop`;

/** What the row's signature covers (src/audit/retention-message.ts). */
export function dropBody(row: DropRow): DropBody {
  return {
    month: row.month,
    records: Number(row.records),
    firstLeaf: row.first_leaf === null ? null : Number(row.first_leaf),
    lastLeaf: row.last_leaf === null ? null : Number(row.last_leaf),
    leavesDigest: Buffer.from(row.leaves_digest),
    droppedAtMicros: BigInt(row.dropped_us),
    keyId: row.key_id,
  };
}
