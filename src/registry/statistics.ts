import type { Database } from '../db/database.js';

export interface InsurerStatistics {
  amcNumber: string;
  name: string;
  products: number;
  beneficiaries: number;
  removed: number;
}

export interface RegistryStatistics {
  insurers: InsurerStatistics[];
  professionals: number;
  sites: number;
  activities: number;
}

/** Counts only, never a person: what the landing page and the operators' dashboards show. */
export async function registryStatistics(db: Database): Promise<RegistryStatistics> {
  const platform = await db.transaction('platform', (tx) =>
    Promise.all([
      tx.query<{ id: number; amc_number: string; name: string }>('SELECT id, amc_number, name FROM insurer ORDER BY name'),
      tx.query<{ professionals: number; sites: number; activities: number }>(
        `SELECT (SELECT count(*) FROM professional)::int AS professionals, (SELECT count(*) FROM site)::int AS sites,
                (SELECT count(*) FROM activity)::int AS activities`,
      ),
    ]),
  );
  const [insurers, directory] = platform;
  const perInsurer: InsurerStatistics[] = [];
  for (const insurer of insurers.rows) {
    // Each insurer is read in its own scope: row-level security allows nothing wider.
    const counts = await db.transaction({ insurerId: insurer.id }, (tx) =>
      tx.query<{ products: number; beneficiaries: number; removed: number }>(
        `SELECT (SELECT count(*) FROM product)::int AS products,
                (SELECT count(*) FROM beneficiary WHERE removed_on IS NULL)::int AS beneficiaries,
                (SELECT count(*) FROM beneficiary WHERE removed_on IS NOT NULL)::int AS removed`,
      ),
    );
    const row = counts.rows[0] ?? { products: 0, beneficiaries: 0, removed: 0 };
    perInsurer.push({ amcNumber: insurer.amc_number, name: insurer.name, ...row });
  }
  const totals = directory.rows[0] ?? { professionals: 0, sites: 0, activities: 0 };
  return { insurers: perInsurer, ...totals };
}
