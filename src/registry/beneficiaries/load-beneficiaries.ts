import type { Tx } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { applyLines, applyOnce } from '../ingest/apply-lines.js';
import type { LoadContext, LoadOutcome } from '../ingest/load-context.js';
import { beneficiaryColumns, readBeneficiaryLine } from './beneficiary-line.js';
import { mergeBatch, removeAbsent, uploadBatch } from './merge.js';
import { createStageSql, stageBatch } from './stage.js';
import { plantedIds } from '../honeytokens/planted-ids.js';

/**
 * Applies a beneficiaries file in one transaction of its insurer: a crash at any point
 * leaves nothing, the ledger row commits with the effects, a refused file rolls back.
 * Identities are sealed in this process, so the database never sees a NIR or a name.
 */
export async function loadBeneficiaries(ctx: LoadContext): Promise<LoadOutcome> {
  const insurerId = await insurerOf(ctx);
  return applyOnce(ctx, { insurerId }, async (tx) => {
    const keys = await ctx.vault.keysFor(tx, insurerId);
    const products = await productCodes(tx);
    const honeytokens = ctx.header.mode === 'complet' ? await plantedIds(tx, insurerId) : [];
    const active = (await activeBeneficiaries(tx)) - honeytokens.length;
    for (const statement of createStageSql) await tx.query(statement);
    const counts = await applyLines(ctx, {
      columns: beneficiaryColumns(ctx.header.mode),
      read: (record) => readBeneficiaryLine(record, ctx.header.mode),
      stage: (lines) => stageBatch(lines, keys, products),
      upload: (staged) => uploadBatch(tx, staged),
      merge: (staged) => mergeBatch(tx, staged),
    });
    const removed = ctx.header.mode === 'complet' ? await removeAbsent(tx, ctx.header.date, honeytokens) : 0;
    checkRemovalShare(ctx, removed, active);
    return { ...counts, removed };
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

/**
 * A truncated extract sent as a full file would close the rights of everyone it misses,
 * and stop their care: past the configured share, the whole file is refused instead.
 */
function checkRemovalShare(ctx: LoadContext, removed: number, active: number): void {
  if (removed === 0 || removed <= ctx.maxRemovalShare * active) return;
  const limit = Math.round(ctx.maxRemovalShare * 1000) / 10;
  throw new RempartError(
    'FILE_MASS_REMOVAL',
    `${removed} radiations pour ${active} bénéficiaires actifs (au plus ${limit} %) ; si c'est voulu, relancez avec --max-removal`,
  );
}

async function activeBeneficiaries(tx: Tx): Promise<number> {
  const rows = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM beneficiary WHERE removed_on IS NULL');
  return rows.rows[0]?.n ?? 0;
}

async function productCodes(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.query<{ code: string; id: number }>('SELECT code, id FROM product');
  return new Map(rows.rows.map((row) => [row.code, row.id]));
}
