import type { Tx } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { applyLines, applyOnce } from '../ingest/apply-lines.js';
import type { LoadContext, LoadOutcome } from '../ingest/load-context.js';
import { settleRemovals } from '../ingest/removals.js';
import { beneficiaryColumns, readBeneficiaryLine } from './beneficiary-line.js';
import { LateConflicts, presetConflicts, ReadAgain } from './contract-products.js';
import { mergeBatch, uploadBatch } from './merge.js';
import { beneficiaryRemovals } from './removals.js';
import { createStageSql, stageBatch } from './stage.js';
import { plantedIds } from '../honeytokens/planted-ids.js';

/**
 * Applies a beneficiaries file in one transaction of its insurer: a crash at any point
 * leaves nothing, the ledger row commits with the effects, a refused file rolls back.
 * Identities are sealed in this process, so the database never sees a NIR or a name.
 * A file whose contracts turn out to have two products after some of their lines were
 * merged is read a second time, those contracts known from the start (contract-products.ts).
 */
export async function loadBeneficiaries(ctx: LoadContext): Promise<LoadOutcome> {
  const insurerId = await insurerOf(ctx);
  try {
    return await applyBeneficiaries(ctx, insurerId, []);
  } catch (error) {
    if (!(error instanceof ReadAgain)) throw error;
    await ctx.report.restart();
    return applyBeneficiaries(ctx, insurerId, error.memberNumbers);
  }
}

async function applyBeneficiaries(ctx: LoadContext, insurerId: number, conflicted: readonly string[]): Promise<LoadOutcome> {
  return applyOnce(ctx, { insurerId }, async (tx) => {
    const keys = await ctx.vault.keysFor(tx, insurerId);
    const products = await productCodes(tx);
    const honeytokens = ctx.header.mode === 'complet' ? await plantedIds(tx, insurerId) : [];
    const active = (await activeBeneficiaries(tx)) - honeytokens.length;
    for (const statement of createStageSql) await tx.query(statement);
    await presetConflicts(tx, conflicted);
    const late = new LateConflicts();
    const { unidentified, ...counts } = await applyLines(ctx, {
      columns: beneficiaryColumns(ctx.header.mode),
      read: (record) => readBeneficiaryLine(record, ctx.header.mode),
      stage: (lines) => stageBatch(lines, keys, products),
      upload: (staged) => uploadBatch(tx, staged),
      merge: async (staged) => {
        const merged = await mergeBatch(tx, staged);
        late.note(merged.lateConflicts);
        return merged;
      },
    });
    // Cannot happen on a second reading: its conflicted contracts are refused from their first line.
    if (late.found) throw new ReadAgain(late.list());
    const removals = await settleRemovals(ctx, beneficiaryRemovals(tx, ctx.header.date, honeytokens, active), unidentified);
    return { ...counts, ...removals };
  });
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

async function activeBeneficiaries(tx: Tx): Promise<number> {
  const rows = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM beneficiary WHERE removed_on IS NULL');
  return rows.rows[0]?.n ?? 0;
}

async function productCodes(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.query<{ code: string; id: number }>('SELECT code, id FROM product');
  return new Map(rows.rows.map((row) => [row.code, row.id]));
}
