import type { Database } from '../db/database.js';

/** An insurer as the operator's staff administer it: who it is, and how its files have been arriving. */
export interface InsurerOverview {
  amcNumber: string;
  name: string;
  kind: string;
  since: Date;
  agents: number;
  loads: { files: number; lastAt: Date | null; lastRejected: number | null };
}

interface InsurerRow { id: number; amc_number: string; name: string; kind: string; created_at: Date; agents: number }
interface LoadsRow { files: number; last_at: Date | null; last_rejected: number | null }

/**
 * Every insurer with its agents' count and its loads' summary. The loads are read in each
 * insurer's own scope (row-level security keeps them from the platform's), one short
 * transaction each: a platform holds dozens of insurers, not thousands.
 */
export async function insurersOverview(db: Database): Promise<InsurerOverview[]> {
  const insurers = await db.transaction('platform', (tx) =>
    tx.query<InsurerRow>(
      `SELECT i.id, i.amc_number, i.name, i.kind, i.created_at,
              (SELECT count(*)::int FROM staff_member s WHERE s.insurer_id = i.id) AS agents
         FROM insurer i ORDER BY i.name, i.amc_number`,
    ),
  );
  const overview: InsurerOverview[] = [];
  for (const insurer of insurers.rows) {
    const loads = await db.transaction({ insurerId: insurer.id }, async (tx) =>
      (await tx.query<LoadsRow>(
        `SELECT count(*)::int AS files, max(finished_at) AS last_at,
                (SELECT rejected FROM load_run ORDER BY id DESC LIMIT 1) AS last_rejected
           FROM load_run`,
      )).rows[0],
    );
    overview.push({
      amcNumber: insurer.amc_number, name: insurer.name, kind: insurer.kind, since: new Date(insurer.created_at), agents: insurer.agents,
      loads: { files: loads?.files ?? 0, lastAt: loads?.last_at ? new Date(loads.last_at) : null, lastRejected: loads?.last_rejected ?? null },
    });
  }
  return overview;
}
