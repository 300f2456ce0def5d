import type { Database } from '../db/database.js';
import { addDays, type CalendarDate } from '../domain/dates.js';
import { delayRange, dueDays, LEARNED_DAYS, uninvoicedAccountDays, type EngagementTally } from './invoice-days.js';
import type { AccountDay } from './drift.js';

/**
 * One insurer's engagements made on the local days $1 to $2, counted per account, kind of
 * site, day and how many days later the first invoice naming them came (any invoice, even
 * rejected). Only engagements of a site that invoiced this insurer in the four weeks before
 * the engagement's day count: a site that bills the insurer elsewhere (the AMO only, another
 * operator) never invoices through Rempart, and its checks say nothing of care. Counts only:
 * no person leaves the insurer's scope.
 */
const TALLIES_SQL = `
WITH made AS (
  SELECT e.insurer_id, e.number, e.site_id, e.professional_id, (e.created_at AT TIME ZONE 'Europe/Paris')::date AS day
    FROM engagement e
   WHERE e.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris')
     AND e.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
), followed AS (
  SELECT m.*, (SELECT min((i.decided_at AT TIME ZONE 'Europe/Paris')::date) FROM invoice i
                WHERE i.insurer_id = m.insurer_id AND i.engagement = m.number) - m.day AS invoiced_after
    FROM made m
   WHERE EXISTS (SELECT 1 FROM invoice j
                  WHERE j.insurer_id = m.insurer_id AND j.site_id = m.site_id
                    AND j.decided_at >= ((m.day - ${LEARNED_DAYS})::timestamp AT TIME ZONE 'Europe/Paris')
                    AND j.decided_at < (m.day::timestamp AT TIME ZONE 'Europe/Paris'))
)
SELECT f.professional_id::int AS professional_id, p.profession_code, s.kind AS site_kind,
       to_char(f.day, 'YYYY-MM-DD') AS day, f.invoiced_after, count(*)::int AS engagements
  FROM followed f JOIN professional p ON p.id = f.professional_id JOIN site s ON s.id = f.site_id
 GROUP BY f.professional_id, p.profession_code, s.kind, f.day, f.invoiced_after`;

interface TallyRow {
  professional_id: number;
  profession_code: string;
  site_kind: string;
  day: string;
  invoiced_after: number | null;
  engagements: number;
}

/**
 * Every account's uninvoiced day for each local day from `from` to `to`, with its usual
 * share learned from the four weeks before it. Engagements are tenant rows: each insurer is
 * read in its own scope and the counts summed per account. A daily batch, off the requests'
 * path: it reads every engagement of the range once, for all the days asked.
 */
export async function uninvoicedDays(db: Database, from: CalendarDate, to: CalendarDate): Promise<Map<CalendarDate, AccountDay[]>> {
  const { shortest, longest } = delayRange();
  const [first, last] = [addDays(from, -LEARNED_DAYS - longest), addDays(to, -shortest)];
  const insurers = await db.query<{ id: number }>('SELECT id FROM insurer ORDER BY id');
  const tallies: EngagementTally[] = [];
  for (const { id } of insurers.rows) {
    const found = await db.transaction({ insurerId: Number(id) }, (tx) => tx.query<TallyRow>(TALLIES_SQL, [first, last]));
    for (const row of found.rows) tallies.push(tallyOf(row));
  }
  const due = dueDays(tallies);
  const days = new Map<CalendarDate, AccountDay[]>();
  for (let day = from; day <= to; day = addDays(day, 1)) days.set(day, uninvoicedAccountDays(due, day));
  return days;
}

function tallyOf(row: TallyRow): EngagementTally {
  return {
    professionalId: Number(row.professional_id),
    professionCode: row.profession_code,
    siteKind: row.site_kind,
    day: row.day as CalendarDate,
    invoicedAfter: row.invoiced_after === null ? null : Number(row.invoiced_after),
    engagements: Number(row.engagements),
  };
}
