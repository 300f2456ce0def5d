import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Tx } from '../../db/database.js';

/** SHA-256 of a whole file: the identity under which a load is recorded once. */
export async function hashFile(path: string): Promise<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest();
}

export interface RunCounts {
  lines: number;
  applied: number;
  unchanged: number;
  rejected: number;
}

export interface RunIdentity {
  insurerId: number | null;
  sha256: Buffer;
  fileName: string;
  kind: string;
  mode: string;
}

export type Claim = { claimed: true; runId: number } | { claimed: false; loadedAt: Date };

/**
 * Takes the file's place in the ledger before applying anything, in the same transaction
 * as its effects: both commit or neither does, which is what makes a re-run after a
 * crash land exactly where one clean run would. A concurrent load of the same file waits
 * here until the first one ends, then finds it done (or takes over if it failed).
 */
export async function claimRun(tx: Tx, run: RunIdentity): Promise<Claim> {
  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO load_run (insurer_id, file_sha256, file_name, file_kind, mode, lines, applied, unchanged, rejected)
     VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0) ON CONFLICT DO NOTHING RETURNING id`,
    [run.insurerId, run.sha256, run.fileName, run.kind, run.mode],
  );
  const row = inserted.rows[0];
  if (row) return { claimed: true, runId: row.id };
  const found = await tx.query<{ finished_at: Date }>(
    'SELECT finished_at FROM load_run WHERE insurer_id IS NOT DISTINCT FROM $1 AND file_sha256 = $2',
    [run.insurerId, run.sha256],
  );
  return { claimed: false, loadedAt: found.rows[0]?.finished_at ?? new Date() };
}

export async function finishRun(tx: Tx, runId: number, counts: RunCounts): Promise<void> {
  await tx.query('UPDATE load_run SET lines = $2, applied = $3, unchanged = $4, rejected = $5, finished_at = now() WHERE id = $1', [
    runId, counts.lines, counts.applied, counts.unchanged, counts.rejected,
  ]);
}
