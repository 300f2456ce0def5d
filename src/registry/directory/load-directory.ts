import { applyLines, applyOnce } from '../ingest/apply-lines.js';
import type { LoadContext, LoadOutcome } from '../ingest/load-context.js';
import { settleRemovals } from '../ingest/removals.js';
import { directoryColumns, readDirectoryLine } from './directory-line.js';
import { activitiesUnderWay, activityEnds } from './end-activities.js';
import { mergeBatch, uploadBatch } from './merge.js';
import { createStageSql, stageBatch } from './stage.js';

/**
 * Applies the professionals' directory, platform data shared by every insurer, in one
 * platform transaction: a structural fault found at any point (a missing end line is
 * only seen at the end) rolls back every batch, and the ledger row commits with them.
 * The file is complete: it ends the activities it no longer lists (end-activities.ts).
 */
export async function loadDirectory(ctx: LoadContext): Promise<LoadOutcome> {
  return applyOnce(ctx, 'platform', async (tx) => {
    const active = await activitiesUnderWay(tx, ctx.header.date);
    for (const statement of createStageSql) await tx.query(statement);
    const { unidentified, ...counts } = await applyLines(ctx, {
      columns: directoryColumns,
      read: readDirectoryLine,
      stage: stageBatch,
      upload: (staged) => uploadBatch(tx, staged),
      merge: (staged) => mergeBatch(tx, staged),
    });
    const ends = await settleRemovals(ctx, activityEnds(tx, ctx.header.date, active), unidentified);
    return { ...counts, ...ends };
  });
}
