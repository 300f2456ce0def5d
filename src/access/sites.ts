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

/** How a site is named to people and in files: its FINESS, else its SIRET. */
export async function structureOf(db: Database, siteId: number): Promise<string> {
  const found = await db.transaction('platform', (tx) => tx.query<{ structure: string }>('SELECT coalesce(finess, siret) AS structure FROM site WHERE id = $1', [siteId]));
  return found.rows[0]?.structure ?? '';
}

/** The schema of a FINESS (9 characters, 2A/2B allowed) or SIRET (14 digits). */
export const structureSchema = { type: 'string', pattern: '^([0-9][0-9AB][0-9]{7}|[0-9]{14})$' } as const;

/** A site where a professional practises, as the care page offers it. */
export interface PracticeSite { structure: string; name: string }

/** The sites a site administrator manages (holder, partner or delegate), named as the pages offer them. */
export async function administeredSites(db: Database, adminSites: readonly number[]): Promise<PracticeSite[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<PracticeSite>('SELECT coalesce(finess, siret) AS structure, name FROM site WHERE id = ANY($1::bigint[]) ORDER BY name', [adminSites]),
  );
  return found.rows;
}

/** Who a professional is and where they practise on a day: the care page's select and its defaults. */
export interface Practitioner { firstName: string; lastName: string; professionCode: string; sites: PracticeSite[] }

export async function practitionerOn(db: Database, professionalId: number, day: string): Promise<Practitioner> {
  return db.transaction('platform', async (tx) => {
    const who = await tx.query<{ first_name: string; last_name: string; profession_code: string }>(
      'SELECT first_name, last_name, profession_code FROM professional WHERE id = $1', [professionalId],
    );
    const sites = await tx.query<PracticeSite>(
      `SELECT coalesce(s.finess, s.siret) AS structure, s.name FROM activity a JOIN site s ON s.id = a.site_id
        WHERE a.professional_id = $1 AND active_on(a.started_on, a.ended_on, $2::date) ORDER BY s.name`,
      [professionalId, day],
    );
    const person = who.rows[0];
    return { firstName: person?.first_name ?? '', lastName: person?.last_name ?? '', professionCode: person?.profession_code ?? '', sites: sites.rows };
  });
}
