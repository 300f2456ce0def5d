import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';

/** A site named by its FINESS or SIRET, among those the caller administers, else SITE_UNKNOWN. */
export async function administeredSite(db: Database, adminSites: readonly number[], structure: string): Promise<number> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ id: number }>('SELECT id FROM site WHERE (finess = $1 OR siret = $1) AND id = ANY($2::bigint[])', [structure, adminSites]),
  );
  const id = found.rows[0]?.id;
  // Another site is "unknown" here too: no oracle on what the directory holds.
  if (id === undefined) throw new RempartError('SITE_UNKNOWN', structure);
  return Number(id);
}

/** The schema of a FINESS (9 characters, 2A/2B allowed) or SIRET (14 digits). */
export const structureSchema = { type: 'string', pattern: '^([0-9][0-9AB][0-9]{7}|[0-9]{14})$' } as const;
