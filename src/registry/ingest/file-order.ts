import type { Tx } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { RunIdentity } from './ledger.js';

/**
 * A full file describes the population on its date: applied after a later file, it would
 * remove people retroactively and undo later changes. So a full file older than the
 * latest file applied (of the same insurer and kind) is refused, and so is a delta older
 * than the latest full file (the snapshot already holds its operations). An operator may
 * still replay an earlier state on purpose: the run is then marked as a replay in the
 * ledger. Returns whether the file was applied out of order.
 */
export async function checkFileOrder(tx: Tx, runId: number, run: RunIdentity & { fileDate: string }, replay: boolean): Promise<boolean> {
  const found = await tx.query<{ latest: string | null; latest_full: string | null }>(
    `SELECT max(file_date) AS latest, max(file_date) FILTER (WHERE mode = 'complet') AS latest_full
       FROM load_run WHERE insurer_id IS NOT DISTINCT FROM $1 AND file_kind = $2 AND id <> $3`,
    [run.insurerId, run.kind, runId],
  );
  const row = found.rows[0];
  const bound = run.mode === 'complet' ? row?.latest : row?.latest_full;
  if (bound === null || bound === undefined || run.fileDate >= bound) return false;
  if (!replay) {
    const latest = run.mode === 'complet' ? 'au dernier fichier appliqué' : 'au dernier fichier complet appliqué';
    throw new RempartError('FILE_OUT_OF_ORDER', `fichier daté du ${run.fileDate}, antérieur ${latest} (${bound})`);
  }
  await tx.query('UPDATE load_run SET replay = true WHERE id = $1', [runId]);
  return true;
}
