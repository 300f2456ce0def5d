import type { Tx } from '../../db/database.js';

/*
 * A structure is found by its FINESS when the line gives one, else by its SIRET; a line
 * with both pairs them on one site. A SIRET belongs to one site: a line whose pairing
 * would take it from another is refused (SITE_CONFLICT) rather than left to the unique
 * index, which would abort the whole load. Among the pairings left, the last line of a
 * FINESS that gives a SIRET sets it ("last line wins"). Identifiers are settled before
 * duplicate activities are known, so that line, if later rejected as a duplicate, still
 * sets the pairing; names and kinds are written after (updateSiteFields).
 */

/**
 * A SIRET is taken when a site with another FINESS holds it, or a SIRET-only site holds it
 * while the line's FINESS has a site of its own (else that site adopts the FINESS, see
 * adoptSites). Of the lines left, the first to pair a SIRET with a FINESS owns it for the
 * batch, and so for the file: a later batch finds it taken.
 */
const markSiretConflicts = `
  WITH checked AS (
    SELECT line, finess, siret, EXISTS (
             SELECT 1 FROM site o WHERE o.siret = s.siret AND o.finess IS DISTINCT FROM s.finess
                AND (o.finess IS NOT NULL OR EXISTS (SELECT 1 FROM site f WHERE f.finess = s.finess))) AS taken
      FROM stage_directory s WHERE finess IS NOT NULL AND siret IS NOT NULL),
  owner AS (SELECT DISTINCT ON (siret) siret, finess FROM checked WHERE NOT taken ORDER BY siret, line)
  UPDATE stage_directory s SET skip = true
    FROM checked c LEFT JOIN owner w ON w.siret = c.siret
   WHERE s.line = c.line AND (c.taken OR w.finess <> c.finess)
  RETURNING s.line`;

/** For each FINESS of the batch, its last kept line that also gives a SIRET. */
const pairings = `
  SELECT DISTINCT ON (finess) finess, siret FROM stage_directory
   WHERE NOT skip AND finess IS NOT NULL AND siret IS NOT NULL ORDER BY finess, line DESC`;

/** Runs after markSiretConflicts: what is left cannot clash. */
const adoptSites = `
  UPDATE site SET finess = p.finess FROM (${pairings}) p
   WHERE site.siret = p.siret AND site.finess IS NULL
  RETURNING site.id`;

/** New sites take the fields of the FINESS's last line; known ones only gain or change their SIRET here. */
const upsertFinessSites = `
  INSERT INTO site (finess, siret, name, kind, department)
  SELECT DISTINCT ON (s.finess) s.finess, p.siret, s.site_name, s.site_kind, s.department
    FROM stage_directory s LEFT JOIN (${pairings}) p ON p.finess = s.finess
   WHERE NOT s.skip AND s.finess IS NOT NULL ORDER BY s.finess, s.line DESC
  ON CONFLICT (finess) DO UPDATE SET siret = excluded.siret
   WHERE excluded.siret IS NOT NULL AND site.siret IS DISTINCT FROM excluded.siret
  RETURNING id`;

const insertSiretSites = `
  INSERT INTO site (siret, name, kind, department)
  SELECT DISTINCT ON (siret) siret, site_name, site_kind, department
    FROM stage_directory WHERE NOT skip AND finess IS NULL ORDER BY siret, line DESC
  ON CONFLICT (siret) DO NOTHING
  RETURNING id`;

const resolveSites = `
  UPDATE stage_directory s
     SET site_id = CASE WHEN s.finess IS NOT NULL THEN (SELECT id FROM site WHERE finess = s.finess)
                        ELSE (SELECT id FROM site WHERE siret = s.siret) END
   WHERE NOT s.skip`;

/** The last kept line of a site sets its name, kind and department, when they differ. */
const updateFields = `
  UPDATE site SET name = l.site_name, kind = l.site_kind, department = l.department
    FROM (SELECT DISTINCT ON (site_id) site_id, site_name, site_kind, department
            FROM stage_directory WHERE NOT skip ORDER BY site_id, line DESC) l
   WHERE site.id = l.site_id
     AND (site.name, site.kind, site.department) IS DISTINCT FROM (l.site_name, l.site_kind, l.department)
  RETURNING site.id`;

export interface SettledSites {
  /** Lines refused for a FINESS–SIRET pairing that would take another site's SIRET. */
  conflicts: number[];
  /** Sites created or whose identifiers changed. */
  changed: number[];
}

/** Creates the batch's missing sites, pairs identifiers, and gives every kept line its site_id. */
export async function settleSites(tx: Tx): Promise<SettledSites> {
  const conflicts = await tx.query<{ line: number }>(markSiretConflicts);
  const changed: number[] = [];
  for (const statement of [adoptSites, upsertFinessSites, insertSiretSites]) {
    changed.push(...(await tx.query<{ id: number }>(statement)).rows.map((row) => row.id));
  }
  await tx.query(resolveSites);
  return { conflicts: conflicts.rows.map((row) => row.line), changed };
}

/** Runs once duplicates are skipped, so a rejected line never names a site. */
export async function updateSiteFields(tx: Tx): Promise<number[]> {
  return (await tx.query<{ id: number }>(updateFields)).rows.map((row) => row.id);
}
