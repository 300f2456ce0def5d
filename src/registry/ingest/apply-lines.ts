import type { Scope, Tx } from '../../db/database.js';
import { checkFileOrder } from './file-order.js';
import { claimRun, finishRun, keepRejects, type RemovalCounts, type RunCounts } from './ledger.js';
import { LineTally, type LineCounts, type LoadContext, type LoadOutcome } from './load-context.js';
import { readRecords, type ColumnSpec, type SourceRecord } from './records.js';
import type { Reject } from './reject-report.js';

/**
 * A line read through its format's validator: a value to apply, and/or its faults. A
 * rejected line still has a value when something identifying could be read from it (a
 * member number, a beneficiary, a professional, a site): the loader keeps that value to
 * protect whoever it names from a full file's removals. A rejected line without a value
 * names nobody readable, and suspends the file's removals (src/registry/ingest/removals.ts).
 */
export interface ReadLine<L> {
  value: L | undefined;
  rejects: Reject[];
}

export interface MergeOutcome {
  /** Lines that changed the store. */
  applied: number;
  rejects: Reject[];
}

/**
 * What a line-oriented file kind supplies: how to read a line, how to turn a batch of
 * lines into staging rows (CPU only), how to upload them (a quick COPY) and merge them
 * (the server's heavy part). The loop overlaps each merge with the next batch's
 * preparation, so this process and the database server work at the same time.
 */
export interface LineLoader<L, S extends { rejects: Reject[] }> {
  columns: ColumnSpec;
  read(record: SourceRecord): ReadLine<L>;
  /** May reject lines too (e.g. an unknown product), alongside its staging rows. */
  stage(lines: L[]): S;
  upload(staged: S): Promise<void>;
  merge(staged: S): Promise<MergeOutcome>;
}

/**
 * Runs a file once, in one transaction with its ledger row: a file seen before changes
 * nothing, nor does a file older than the last applied one (unless the operator replays
 * it); any fault rolls back every batch already merged.
 */
export async function applyOnce(
  ctx: LoadContext,
  scope: Scope,
  body: (tx: Tx) => Promise<RunCounts & RemovalCounts>,
): Promise<LoadOutcome> {
  const run = { ...ctx.run, insurerId: scope === 'platform' ? null : scope.insurerId };
  return ctx.db.transaction(scope, async (tx) => {
    const claim = await claimRun(tx, run, ctx.permissions);
    if (!claim.claimed) return { status: 'already_loaded', loadedAt: claim.loadedAt, suspendedRemovals: claim.suspendedRemovals };
    const late = await checkFileOrder(tx, claim.runId, { ...run, fileDate: ctx.header.date }, ctx.permissions.replay);
    const outcome = await body(tx);
    await finishRun(tx, claim.runId, outcome);
    await keepRejects(tx, claim.runId, run.insurerId, ctx.report.kept);
    return { status: 'applied', replay: claim.again || late, ...outcome };
  });
}

/** Streams the file's batches through the loader, reporting rejects as they come. */
export async function applyLines<L, S extends { rejects: Reject[] }>(ctx: LoadContext, loader: LineLoader<L, S>): Promise<LineCounts> {
  const tally = new LineTally();
  let inFlight: Promise<void> = Promise.resolve();
  try {
    for await (const batch of readRecords(ctx.path, ctx.header, loader.columns)) {
      const rejects: Reject[] = batch.unreadable.map((line) => ({ ...line }));
      const lines: L[] = [];
      tally.unidentified += batch.unreadable.length;
      for (const record of batch.records) {
        const read = loader.read(record);
        rejects.push(...read.rejects);
        if (read.value !== undefined) lines.push(read.value);
        else if (read.rejects.length > 0) tally.unidentified += 1;
      }
      tally.lines += batch.records.length + batch.unreadable.length;
      const staged = loader.stage(lines);
      await inFlight;
      await loader.upload(staged);
      inFlight = merge(ctx, loader, tally, staged, [...rejects, ...staged.rejects]);
      ctx.progress.update(batch.bytesRead, tally.lines);
    }
  } finally {
    // A structural fault may end the loop while a merge runs: let it settle before rollback.
    await inFlight.catch(() => undefined);
  }
  await inFlight;
  return tally.counts();
}

async function merge<L, S extends { rejects: Reject[] }>(
  ctx: LoadContext,
  loader: LineLoader<L, S>,
  tally: LineTally,
  staged: S,
  rejects: Reject[],
): Promise<void> {
  const outcome = await loader.merge(staged);
  const all = [...rejects, ...outcome.rejects].sort((a, b) => a.line - b.line);
  tally.applied += outcome.applied;
  tally.reject(all.map((reject) => reject.line));
  tally.closeBatch();
  await ctx.report.add(all);
}
