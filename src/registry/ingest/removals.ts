import { basename } from 'node:path';
import { RempartError } from '../../domain/errors/codes.js';
import { CsvReport } from './csv-report.js';
import { noRemovals, type RemovalCounts } from './ledger.js';
import type { LoadContext } from './load-context.js';

/**
 * What a full file's loader supplies to remove whoever the file no longer lists. The
 * candidates are gathered in a temporary table (never in this process's memory), minus
 * everyone a rejected line might name; the report is read back from it page by page.
 */
export interface RemovalPlan {
  /** Report columns between `fichier` and `etat`: never a NIR, never a name. */
  columns: readonly string[];
  /** For messages: what is removed, and what the share is taken of. */
  removals: string;
  population: string;
  /** The population before the file, which the mass-removal share is taken of. */
  active: number;
  /** Fills the loader's removal table; returns how many rows it holds. */
  select(): Promise<number>;
  /** Applies every removal of the table; returns how many rows changed. */
  apply(): Promise<number>;
  /** Report rows after `after`, by increasing id. */
  page(after: number, limit: number): Promise<{ id: number; values: readonly unknown[] }[]>;
}

/** How each listed removal ended: done, waiting for the operator, or refused with the file. */
type Fate = 'appliquee' | 'suspendue' | 'refusee';

const PAGE = 10_000;

/**
 * Decides a full file's removals. Rejected lines that name nobody readable might have
 * named anyone, so the removals wait for the operator's word (`--apply-removals`); past
 * the mass-removal share the file is refused whole (FILE_MASS_REMOVAL). Every removal,
 * whatever its fate, is listed in the removal report.
 */
export async function settleRemovals(ctx: LoadContext, plan: RemovalPlan, unidentifiedLines: number): Promise<RemovalCounts> {
  const counts = { ...noRemovals, unidentifiedLines };
  if (ctx.header.mode !== 'complet') return counts;
  const candidates = await plan.select();
  if (candidates === 0) return counts;
  if (unidentifiedLines > 0 && !ctx.permissions.applyRemovals) {
    await report(ctx, plan, 'suspendue');
    return { ...counts, suspendedRemovals: candidates };
  }
  if (candidates > ctx.maxRemovalShare * plan.active) {
    await report(ctx, plan, 'refusee');
    const limit = Math.round(ctx.maxRemovalShare * 1000) / 10;
    throw new RempartError(
      'FILE_MASS_REMOVAL',
      `${candidates} ${plan.removals} pour ${plan.active} ${plan.population} (au plus ${limit} %), listées dans ${ctx.removalReport.path} ; si c'est voulu, relancez avec --max-removal`,
    );
  }
  const removed = await plan.apply();
  await report(ctx, plan, 'appliquee');
  return { ...counts, removed };
}

async function report(ctx: LoadContext, plan: RemovalPlan, fate: Fate): Promise<void> {
  const out = new CsvReport(ctx.removalReport.path, ['fichier', ...plan.columns, 'etat']);
  const source = basename(ctx.path);
  try {
    for (let after: number | undefined = 0; after !== undefined; ) {
      const rows = await plan.page(after, PAGE);
      for (const row of rows) await out.write([source, ...row.values, fate]);
      after = rows[rows.length - 1]?.id;
    }
  } finally {
    await out.close();
  }
  ctx.removalReport.written = true;
}
