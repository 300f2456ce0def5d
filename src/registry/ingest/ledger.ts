import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Tx } from '../../db/database.js';
import type { Reject } from './reject-report.js';

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

/** What a full file did to whoever it no longer lists (src/registry/ingest/removals.ts). */
export interface RemovalCounts {
  removed: number;
  /** Removals the file asked for but left undone, for want of the operator's go-ahead. */
  suspendedRemovals: number;
  /** Rejected lines of which nothing identifying could be read: why removals are suspended. */
  unidentifiedLines: number;
}

export const noRemovals: RemovalCounts = { removed: 0, suspendedRemovals: 0, unidentifiedLines: 0 };

export interface RunIdentity {
  insurerId: number | null;
  sha256: Buffer;
  fileName: string;
  kind: string;
  mode: string;
  /** The date of the file's identification line; null for a catalogue, which has none. */
  fileDate: string | null;
}

/** What the operator asked for in so many words (`rempart load --replay`, `--apply-removals`). */
export interface RunPermissions {
  /** Apply a file again, or one older than the last applied: a new ledger row, marked as a replay. */
  replay: boolean;
  /** Apply the removals a file left suspended, by running it again. */
  applyRemovals: boolean;
}

export type Claim =
  | { claimed: true; runId: number; again: boolean }
  | { claimed: false; loadedAt: Date; suspendedRemovals: number };

/** Loads of one insurer (or of the platform's directory) take turns: "the last applied file" is then well defined. */
const LEDGER_LOCK = 7245013;

/**
 * Takes the file's place in the ledger before applying anything, in the same transaction
 * as its effects: both commit or neither does, which is what makes a re-run after a
 * crash land exactly where one clean run would. A concurrent load of the same insurer
 * waits here until the first one ends, then finds the file done (or takes over if it
 * failed). A file seen before is claimed again only on the operator's explicit request.
 */
export async function claimRun(tx: Tx, run: RunIdentity, permissions: RunPermissions = { replay: false, applyRemovals: false }): Promise<Claim> {
  await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [LEDGER_LOCK, run.insurerId ?? 0]);
  const fresh = await insertRun(tx, run, false);
  if (fresh !== undefined) return { claimed: true, runId: fresh, again: false };
  const found = await tx.query<{ id: number; finished_at: Date; removals_suspended: number }>(
    'SELECT id, finished_at, removals_suspended FROM load_run WHERE insurer_id IS NOT DISTINCT FROM $1 AND file_sha256 = $2 AND NOT replay',
    [run.insurerId, run.sha256],
  );
  const previous = found.rows[0];
  if (permissions.replay) return { claimed: true, runId: (await insertRun(tx, run, true)) ?? 0, again: true };
  if (previous && previous.removals_suspended > 0 && permissions.applyRemovals) return { claimed: true, runId: Number(previous.id), again: false };
  return { claimed: false, loadedAt: previous?.finished_at ?? new Date(), suspendedRemovals: previous?.removals_suspended ?? 0 };
}

async function insertRun(tx: Tx, run: RunIdentity, replay: boolean): Promise<number | undefined> {
  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO load_run (insurer_id, file_sha256, file_name, file_kind, mode, file_date, replay, lines, applied, unchanged, rejected)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, 0, 0) ON CONFLICT DO NOTHING RETURNING id`,
    [run.insurerId, run.sha256, run.fileName, run.kind, run.mode, run.fileDate, replay],
  );
  const row = inserted.rows[0];
  return row ? Number(row.id) : undefined;
}

export async function finishRun(tx: Tx, runId: number, counts: RunCounts & RemovalCounts): Promise<void> {
  await tx.query(
    `UPDATE load_run SET lines = $2, applied = $3, unchanged = $4, rejected = $5, removed = $6, removals_suspended = $7, finished_at = now()
      WHERE id = $1`,
    [runId, counts.lines, counts.applied, counts.unchanged, counts.rejected, counts.removed, counts.suspendedRemovals],
  );
}

/**
 * The first rejects of a run, kept with it for the insurer's console, in the run's
 * transaction: a load rolled back keeps none. A run applied again (its suspended
 * removals, on the operator's word) read the same file: its rejects are already there.
 */
export async function keepRejects(tx: Tx, runId: number, insurerId: number | null, rejects: readonly Reject[]): Promise<void> {
  if (rejects.length === 0) return;
  await tx.query(
    `INSERT INTO load_reject (load_run_id, insurer_id, ordinal, line, field, code, message)
     SELECT $1, $2, r.ordinal, r.line, r.field, r.code, r.message
       FROM unnest($3::int[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r(line, field, code, message, ordinal)
     ON CONFLICT DO NOTHING`,
    [runId, insurerId, rejects.map((r) => r.line), rejects.map((r) => r.field), rejects.map((r) => r.code), rejects.map((r) => r.message)],
  );
}
