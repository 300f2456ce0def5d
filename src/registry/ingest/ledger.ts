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

/** When the same file was applied before, and what it did then. */
export async function previousRun(tx: Tx, run: RunIdentity): Promise<{ finished_at: Date } | undefined> {
  const found = await tx.query<{ finished_at: Date }>(
    'SELECT finished_at FROM load_run WHERE insurer_id IS NOT DISTINCT FROM $1 AND file_sha256 = $2',
    [run.insurerId, run.sha256],
  );
  return found.rows[0];
}

/**
 * Records the run in the same transaction as its effects: both commit or neither does,
 * which is what makes a re-run after a crash land exactly where one clean run would.
 * A concurrent load of the same file waits on the unique key, then fails, harmlessly.
 */
export async function recordRun(tx: Tx, run: RunIdentity, counts: RunCounts): Promise<void> {
  await tx.query(
    `INSERT INTO load_run (insurer_id, file_sha256, file_name, file_kind, mode, lines, applied, unchanged, rejected)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [run.insurerId, run.sha256, run.fileName, run.kind, run.mode, counts.lines, counts.applied, counts.unchanged, counts.rejected],
  );
}
