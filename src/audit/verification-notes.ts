import type { Database } from '../db/database.js';
import type { VerifyReport } from './verify.js';

/** A witness folder read by `audit verify`: how many heads it held, up to which tree size. */
export interface WitnessChecked {
  dir: string;
  heads: number;
  treeSize: number;
}

/** The last verification as the security console shows it, and the latest signed checkpoint it may lag behind. */
export interface LogStatus {
  derniereVerification: {
    le: string;
    integre: boolean;
    feuilles: number;
    pointsDeControle: number;
    probleme: { code: string; detail: string } | null;
    temoins: { temoin: string; tetes: number; tailleArbre: number }[];
  } | null;
  dernierPointDeControle: { tailleArbre: number; le: string } | null;
}

/** Notes a verification's outcome (`rempart audit verify`), for the console; the database sets the time. */
export async function noteVerification(db: Database, report: VerifyReport, witnesses: readonly WitnessChecked[]): Promise<void> {
  const [leaves, checkpoints] = report.ok ? [report.leaves, report.checkpoints] : [report.leavesChecked, report.checkpointsChecked];
  const problem = report.ok ? null : report.problem;
  await db.transaction('platform', (tx) =>
    tx.query('INSERT INTO audit_verification (ok, leaves, checkpoints, problem_code, problem_detail, witnesses) VALUES ($1, $2, $3, $4, $5, $6::jsonb)', [
      report.ok,
      leaves,
      checkpoints,
      problem?.code ?? null,
      problem?.detail ?? null,
      JSON.stringify(witnesses),
    ]),
  );
}

export function logStatus(db: Database): Promise<LogStatus> {
  return db.transaction('platform', async (tx) => {
    const noted = await tx.query<{ verified_at: Date; ok: boolean; leaves: string; checkpoints: number; problem_code: string | null; problem_detail: string | null; witnesses: WitnessChecked[] }>(
      'SELECT verified_at, ok, leaves, checkpoints, problem_code, problem_detail, witnesses FROM audit_verification ORDER BY id DESC LIMIT 1',
    );
    const head = await tx.query<{ tree_size: string; created_at: Date }>('SELECT tree_size, created_at FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1');
    const last = noted.rows[0];
    const signed = head.rows[0];
    return {
      derniereVerification: last
        ? {
            le: new Date(last.verified_at).toISOString(),
            integre: last.ok,
            feuilles: Number(last.leaves),
            pointsDeControle: last.checkpoints,
            probleme: last.problem_code === null ? null : { code: last.problem_code, detail: last.problem_detail ?? '' },
            temoins: last.witnesses.map((w) => ({ temoin: w.dir, tetes: w.heads, tailleArbre: w.treeSize })),
          }
        : null,
      dernierPointDeControle: signed ? { tailleArbre: Number(signed.tree_size), le: new Date(signed.created_at).toISOString() } : null,
    };
  });
}
