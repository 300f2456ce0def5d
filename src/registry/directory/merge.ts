import type { Tx } from '../../db/database.js';
import type { MergeOutcome } from '../ingest/apply-lines.js';
import type { Reject } from '../ingest/reject-report.js';
import { settleSites, updateSiteFields } from './sites.js';
import { stageColumns, type StagedBatch } from './stage.js';

/**
 * An activity is (professional, site, start date) and may appear once per file: the
 * first line wins, later ones are reported. The key is taken after sites are resolved,
 * so the same activity named once by FINESS and once by SIRET is caught too. The
 * seen-set is a temporary table, so memory stays bounded whatever the file's size.
 */
const markDuplicates = `
  WITH fresh AS (
    INSERT INTO stage_directory_seen (rpps, site_id, started_on)
    SELECT DISTINCT rpps, site_id, started_on FROM stage_directory WHERE NOT skip
    ON CONFLICT DO NOTHING RETURNING rpps, site_id, started_on),
  kept AS (
    SELECT min(s.line) AS line FROM stage_directory s JOIN fresh f USING (rpps, site_id, started_on)
     WHERE NOT s.skip GROUP BY rpps, site_id, started_on)
  UPDATE stage_directory s SET skip = true
   WHERE NOT s.skip AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.line = s.line)
  RETURNING s.line`;

/** The last kept line of a professional sets its fields; an unchanged professional is not rewritten. */
const upsertProfessionals = `
  WITH written AS (
    INSERT INTO professional (rpps, profession_code, specialty, last_name, first_name)
    SELECT DISTINCT ON (rpps) rpps, profession_code, specialty, last_name, first_name
      FROM stage_directory WHERE NOT skip ORDER BY rpps, line DESC
    ON CONFLICT (rpps) DO UPDATE
       SET profession_code = excluded.profession_code, specialty = excluded.specialty,
           last_name = excluded.last_name, first_name = excluded.first_name
     WHERE (professional.profession_code, professional.specialty, professional.last_name, professional.first_name)
           IS DISTINCT FROM (excluded.profession_code, excluded.specialty, excluded.last_name, excluded.first_name)
    RETURNING rpps)
  UPDATE stage_directory s SET changed = true FROM written w WHERE s.rpps = w.rpps AND NOT s.skip`;

/** Duplicates are skipped by now, so each kept line is its own activity. */
const upsertActivities = `
  WITH written AS (
    INSERT INTO activity (professional_id, site_id, am_number, role, started_on, ended_on)
    SELECT p.id, s.site_id, s.am_number, s.role, s.started_on, s.ended_on
      FROM stage_directory s JOIN professional p ON p.rpps = s.rpps WHERE NOT s.skip
    ON CONFLICT (professional_id, site_id, started_on) DO UPDATE
       SET am_number = excluded.am_number, role = excluded.role, ended_on = excluded.ended_on
     WHERE (activity.am_number, activity.role, activity.ended_on) IS DISTINCT FROM (excluded.am_number, excluded.role, excluded.ended_on)
    RETURNING professional_id, site_id, started_on)
  UPDATE stage_directory s SET changed = true
    FROM written w JOIN professional p ON p.id = w.professional_id
   WHERE s.rpps = p.rpps AND s.site_id = w.site_id AND s.started_on = w.started_on AND NOT s.skip`;

/**
 * Counting rule: a kept line is applied when its activity was inserted or updated, or
 * when its professional or its site was inserted or updated while its batch merged. A
 * line counts once however many of the three it touched; a rejected line never counts.
 */
const countApplied = `
  SELECT count(*)::integer AS applied FROM stage_directory
   WHERE NOT skip AND (changed OR site_id = ANY($1::bigint[]))`;

/** A line refused here still names its professional: the full file ends none of their activities. */
const protectProfessionals = `
  INSERT INTO stage_directory_protected (kind, value)
  SELECT DISTINCT 'rpps', rpps FROM stage_directory WHERE skip
  ON CONFLICT DO NOTHING`;

/** Replaces the staging rows with the batch's (TRUNCATE: temporary tables are never vacuumed). */
export async function uploadBatch(tx: Tx, batch: StagedBatch): Promise<void> {
  await tx.query('TRUNCATE stage_directory');
  if (batch.rows > 0) await tx.copyFrom('stage_directory', stageColumns, batch.text);
  if (batch.protections.length === 0) return;
  await tx.query(
    'INSERT INTO stage_directory_protected (kind, value) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
    [batch.protections.map((pair) => pair[0]), batch.protections.map((pair) => pair[1])],
  );
}

export async function mergeBatch(tx: Tx, batch: StagedBatch): Promise<MergeOutcome> {
  if (batch.rows === 0) return { applied: 0, rejects: [] };
  // Temporary tables get no automatic statistics: without them the planner takes a fresh
  // batch for a few rows and joins it by nested loops, quadratic in the batch size.
  await tx.query('ANALYZE stage_directory');
  const sites = await settleSites(tx);
  const duplicates = await tx.query<{ line: number }>(markDuplicates);
  await tx.query(protectProfessionals);
  const changedSites = [...sites.changed, ...(await updateSiteFields(tx))];
  await tx.query(upsertProfessionals);
  await tx.query(upsertActivities);
  const counted = await tx.query<{ applied: number }>(countApplied, [changedSites]);
  const rejects: Reject[] = [
    ...sites.conflicts.map((line): Reject => ({ line, field: 'siret', code: 'SITE_CONFLICT', message: '' })),
    ...duplicates.rows.map((row): Reject => ({ line: row.line, field: 'rpps', code: 'ACTIVITY_DUPLICATE', message: '' })),
  ];
  return { applied: counted.rows[0]?.applied ?? 0, rejects };
}
