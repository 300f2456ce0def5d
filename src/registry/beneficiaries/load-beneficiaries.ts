import type { Tx } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { InsurerKeys } from '../../vault/index.js';
import { previousRun, recordRun } from '../ingest/ledger.js';
import { LineTally, type LoadContext, type LoadOutcome } from '../ingest/load-context.js';
import { readRecords, type RecordBatch } from '../ingest/records.js';
import type { Reject } from '../ingest/reject-report.js';
import { beneficiaryColumns, readBeneficiaryLine, type BeneficiaryLine } from './beneficiary-line.js';
import { mergeBatch, removeAbsent } from './merge.js';
import { createStageSql, stageBatch, type StagedBatch } from './stage.js';

/**
 * Applies a beneficiaries file in one transaction of its insurer: a crash at any point
 * leaves nothing, the ledger row commits with the effects, a refused file rolls back.
 * Batches are prepared (parse, validate, seal) while the previous one merges.
 */
export async function loadBeneficiaries(ctx: LoadContext): Promise<LoadOutcome> {
  const insurerId = await insurerOf(ctx);
  const run = { ...ctx.run, insurerId };
  return ctx.db.transaction({ insurerId }, async (tx) => {
    const before = await previousRun(tx, run);
    if (before) return { status: 'already_loaded', loadedAt: before.finished_at };
    const keys = await ctx.vault.keysFor(tx, insurerId);
    const products = await productCodes(tx);
    for (const statement of createStageSql) await tx.query(statement);
    const tally = new LineTally();
    await mergeAll(ctx, tx, insurerId, tally, (batch) => prepare(ctx, batch, keys, products, tally));
    const removed = ctx.header.mode === 'complet' ? await removeAbsent(tx, insurerId, ctx.header.date) : 0;
    const counts = tally.counts();
    await recordRun(tx, run, counts);
    return { status: 'applied', removed, ...counts };
  });
}

interface Prepared {
  staged: StagedBatch;
  rejects: Reject[];
}

async function mergeAll(ctx: LoadContext, tx: Tx, insurerId: number, tally: LineTally, prepareBatch: (batch: RecordBatch) => Prepared): Promise<void> {
  let inFlight: Promise<void> = Promise.resolve();
  try {
    for await (const batch of readRecords(ctx.path, ctx.header, beneficiaryColumns(ctx.header.mode))) {
      const prepared = prepareBatch(batch);
      await inFlight;
      inFlight = applyBatch(ctx, tx, insurerId, tally, prepared);
      ctx.progress.update(batch.bytesRead, tally.lines);
    }
  } finally {
    // A structural fault may end the loop while a merge runs: let it settle before rollback.
    await inFlight.catch(() => undefined);
  }
  await inFlight;
}

async function applyBatch(ctx: LoadContext, tx: Tx, insurerId: number, tally: LineTally, prepared: Prepared): Promise<void> {
  const outcome = await mergeBatch(tx, insurerId, prepared.staged);
  const rejects = [...prepared.rejects, ...outcome.rejects];
  tally.applied += outcome.applied;
  tally.reject(rejects.map((reject) => reject.line));
  tally.closeBatch();
  await ctx.report.add(rejects.sort((a, b) => a.line - b.line));
}

function prepare(ctx: LoadContext, batch: RecordBatch, keys: InsurerKeys, products: ReadonlyMap<string, number>, tally: LineTally): Prepared {
  const rejects: Reject[] = batch.unreadable.map((line) => ({ ...line }));
  const lines: BeneficiaryLine[] = [];
  for (const record of batch.records) {
    const read = readBeneficiaryLine(record, ctx.header.mode);
    rejects.push(...read.rejects);
    if (read.value) lines.push(read.value);
  }
  tally.lines += batch.records.length + batch.unreadable.length;
  const staged = stageBatch(lines, keys, products);
  return { staged, rejects: [...rejects, ...staged.rejects] };
}

async function insurerOf(ctx: LoadContext): Promise<number> {
  const amcNumber = ctx.header.insurer ?? '';
  const found = await ctx.db.transaction('platform', (tx) =>
    tx.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [amcNumber]),
  );
  const insurer = found.rows[0];
  if (!insurer) throw new RempartError('FILE_UNKNOWN_INSURER', `numéro AMC ${amcNumber} : chargez d'abord son catalogue`);
  return insurer.id;
}

async function productCodes(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.query<{ code: string; id: number }>('SELECT code, id FROM product');
  return new Map(rows.rows.map((row) => [row.code, row.id]));
}
