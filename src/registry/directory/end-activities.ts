import type { Tx } from '../../db/database.js';
import { addDays, type CalendarDate } from '../../domain/dates.js';
import type { RemovalPlan } from '../ingest/removals.js';

/*
 * A full directory file lists every activity practised on its date: an activity under
 * way then that it no longer lists ends the day before (an activity is active through its
 * end date, src/db/migrations/007_activity_rule.sql). Activities starting on the file's
 * date or later are not its to end, and a rejected line keeps every activity of the
 * professional it names, or, without a readable RPPS, of the structure.
 */

const underWay = 'a.started_on < $1 AND (a.ended_on IS NULL OR a.ended_on >= $1)';

const selectEnds = `
  INSERT INTO stage_activity_end (id, rpps, finess, siret, started_on)
  SELECT a.id, p.rpps, s.finess, s.siret, a.started_on
    FROM activity a JOIN professional p ON p.id = a.professional_id JOIN site s ON s.id = a.site_id
   WHERE ${underWay}
     AND NOT EXISTS (SELECT 1 FROM stage_directory_seen n WHERE n.rpps = p.rpps AND n.site_id = a.site_id AND n.started_on = a.started_on)
     AND NOT EXISTS (SELECT 1 FROM stage_directory_protected g
                      WHERE (g.kind = 'rpps' AND g.value = p.rpps) OR (g.kind = 'finess' AND g.value = s.finess)
                         OR (g.kind = 'siret' AND g.value = s.siret))`;

const applyEnds = 'UPDATE activity a SET ended_on = $1 FROM stage_activity_end e WHERE a.id = e.id';

const pageOfEnds = 'SELECT id, rpps, finess, siret, started_on FROM stage_activity_end WHERE id > $1 ORDER BY id LIMIT $2';

/** Activities under way on the file's date, before it is applied: what the mass-removal share is taken of. */
export async function activitiesUnderWay(tx: Tx, on: CalendarDate): Promise<number> {
  const rows = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM activity a WHERE ${underWay}`, [on]);
  return rows.rows[0]?.n ?? 0;
}

export function activityEnds(tx: Tx, on: CalendarDate, active: number): RemovalPlan {
  const lastDay = addDays(on, -1);
  return {
    columns: ['rpps', 'finess', 'siret', 'debut', 'fin'],
    removals: "fins d'activité",
    population: 'activités en cours',
    active,
    select: async () => (await tx.query(selectEnds, [on])).rowCount,
    apply: async () => (await tx.query(applyEnds, [lastDay])).rowCount,
    page: async (after, limit) => {
      const rows = await tx.query<{ id: number; rpps: string; finess: string | null; siret: string | null; started_on: string }>(pageOfEnds, [after, limit]);
      return rows.rows.map((row) => ({ id: Number(row.id), values: [row.rpps, row.finess ?? '', row.siret ?? '', row.started_on, lastDay] }));
    },
  };
}
