import type { Database } from '../../db/database.js';

/**
 * What anyone may see of this instance: the insurers it serves and the size of the
 * professionals' directory. No count per insurer: an insurer's head count moves when its
 * honeytokens are planted (it would tell an attacker how many there are), and it is the
 * insurer's own business, in its own view.
 */
export interface HomeFacts {
  insurers: { name: string; amcNumber: string }[];
  professionals: number;
  sites: number;
  activities: number;
}

export async function homeFacts(db: Database): Promise<HomeFacts> {
  const [insurers, directory] = await db.transaction('platform', (tx) =>
    Promise.all([
      tx.query<{ name: string; amc_number: string }>('SELECT name, amc_number FROM insurer ORDER BY name'),
      tx.query<{ professionals: number; sites: number; activities: number }>(
        `SELECT (SELECT count(*) FROM professional)::int AS professionals, (SELECT count(*) FROM site)::int AS sites,
                (SELECT count(*) FROM activity)::int AS activities`,
      ),
    ]),
  );
  const totals = directory.rows[0] ?? { professionals: 0, sites: 0, activities: 0 };
  return { insurers: insurers.rows.map((row) => ({ name: row.name, amcNumber: row.amc_number })), ...totals };
}
