/** A signed tree head as stored (audit_checkpoint), with `created_at` in microseconds as text. */
export interface CheckpointRow {
  tree_size: number;
  root_hash: Uint8Array;
  created_us: string;
  key_id: string;
  signature: Uint8Array;
  watermark: string;
  frontier: Uint8Array;
}

/** How the sequencer and the verifier read checkpoints; callers add WHERE / ORDER BY / LIMIT. */
export const CHECKPOINT_SELECT = `SELECT tree_size, root_hash, (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us,
  key_id, signature, watermark::text AS watermark, frontier FROM audit_checkpoint`;
