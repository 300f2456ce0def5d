import type { Database } from '../db/database.js';
import type { CalendarDate } from '../domain/dates.js';
import { learnBaseline, usualUnfollowedShare, type Baseline, type DaySummary } from './baseline.js';
import type { AccountDay } from './drift.js';
import { uninvoicedDays } from './db-invoice-days.js';
import type { ActivitySource, BaselineSource } from './engine.js';
import type { PlatformHistory } from './platform-watch.js';
import { localTime } from './local-time.js';
import type { Profile } from './profile.js';

/** Days of history a baseline learns from (baseline.ts keeps 28). */
const HISTORY_DAYS = 28;

/**
 * Day summaries from the access log, per account and Europe/Paris day: the distinct
 * patients whose rights were disclosed, the checks that found none, the patients checked
 * and not calculated that same day, and those checked off hours (before 7:00 or from 21:00,
 * any day: `offHours` in local-time.ts, which the live counters use, says why not Sundays).
 * `scope` selects the records (its parameters are the query's).
 */
function summariesSql(scope: string): string {
  return `
WITH record AS (
  SELECT professional_id, at AT TIME ZONE 'Europe/Paris' AS local, purpose, result, insurer_id::text || ':' || beneficiary_id::text AS patient
    FROM access_record
   WHERE ${scope}
     AND purpose IN ('rights_check', 'coverage')
), checked AS (
  SELECT professional_id, local::date AS day, local, result, patient FROM record WHERE purpose = 'rights_check'
), calculated AS (
  SELECT DISTINCT professional_id, local::date AS day, patient FROM record WHERE purpose = 'coverage' AND patient IS NOT NULL
)
SELECT c.professional_id::int AS professional_id,
       to_char(c.day, 'YYYY-MM-DD') AS day,
       extract(dow FROM c.day)::int AS weekday,
       (count(DISTINCT c.patient) FILTER (WHERE c.result = 'covered'))::int AS patients,
       (count(*) FILTER (WHERE c.result <> 'covered'))::int AS misses,
       (count(DISTINCT c.patient) FILTER (WHERE c.result = 'covered' AND k.patient IS NULL))::int AS unfollowed,
       (count(DISTINCT c.patient) FILTER (WHERE c.result = 'covered'
          AND (extract(hour FROM c.local) < 7 OR extract(hour FROM c.local) >= 21)))::int AS off_hours
  FROM checked c LEFT JOIN calculated k ON k.professional_id = c.professional_id AND k.day = c.day AND k.patient = c.patient
 GROUP BY c.professional_id, c.day
 ORDER BY c.professional_id, c.day`;
}

/**
 * One account's last 28 complete local days. $1: the professional; $2: today's local day
 * (excluded: a day still running would teach half a day). Served by
 * access_record_professional (009).
 */
export const BASELINE_SQL = summariesSql(`professional_id = $1
     AND at >= (($2::date - ${HISTORY_DAYS})::timestamp AT TIME ZONE 'Europe/Paris')
     AND at < ($2::date::timestamp AT TIME ZONE 'Europe/Paris')`);

/**
 * The platform's daily drift (once a day per instance): every account active on the local
 * day $1, its patients and those left uncalculated, and the sums over its active days in
 * the 28 before, from which its usual share is learned as the baseline learns it
 * (`usualUnfollowedShare`). The database does the sums: one row per account comes back.
 */
export const PLATFORM_DAY_SQL = `
WITH days AS (${summariesSql(`at >= (($1::date - ${HISTORY_DAYS})::timestamp AT TIME ZONE 'Europe/Paris')
     AND at < (($1::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`)}
), learned AS (
  SELECT professional_id, day, patients, unfollowed,
         coalesce(sum(unfollowed) OVER past, 0)::int AS past_unfollowed,
         coalesce(sum(patients) OVER past, 0)::int AS past_patients,
         count(*) OVER past AS past_days
    FROM days
  WINDOW past AS (PARTITION BY professional_id ORDER BY day::date RANGE BETWEEN '${HISTORY_DAYS} days'::interval PRECEDING AND '1 day'::interval PRECEDING)
)
SELECT professional_id, patients, unfollowed, past_unfollowed, past_patients, past_days::int AS past_days
  FROM learned WHERE day::date = $1::date AND patients > 0`;

interface DayRow {
  professional_id: number;
  day: string;
  weekday: number;
  patients: number;
  misses: number;
  unfollowed: number;
  off_hours: number;
}

/** A Map that forgets its oldest entry beyond `max` (insertion order is age). */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (!map.has(key) && map.size >= max) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, value);
}

/** One account's history for one day, and the baselines learned from it per profile (an account may practise at a hospital and a pharmacy). */
interface Learned {
  day: string;
  history: Promise<DaySummary[]>;
  baselines: Map<Profile, Baseline>;
}

/**
 * Baselines learned from the access log. The history of an account changes once a day, so
 * the query runs at most once per account and local day on each instance (bounded cache,
 * oldest forgotten first); concurrent requests share one query. Keyed by the account
 * alone, its day beside: this is read at every request.
 */
export class DbBaselineSource implements BaselineSource {
  private readonly learned = new Map<number, Learned>();

  constructor(
    private readonly db: Database,
    private readonly maxEntries = 50_000,
  ) {}

  async baselineOf(professionalId: number, profile: Profile, nowMs: number): Promise<Baseline> {
    const today = localTime(nowMs).day;
    let entry = this.learned.get(professionalId);
    if (entry?.day !== today) {
      const learning: Learned = { day: today, history: this.history(professionalId, today), baselines: new Map() };
      remember(this.learned, professionalId, learning, this.maxEntries);
      // A failed query is not remembered: the next request tries again.
      void learning.history.catch(() => {
        if (this.learned.get(professionalId) === learning) this.learned.delete(professionalId);
      });
      entry = learning;
    }
    const known = entry.baselines.get(profile);
    if (known) return known;
    const baseline = learnBaseline(await entry.history, profile);
    entry.baselines.set(profile, baseline);
    return baseline;
  }

  /** The account's day summaries before `today` (local), oldest first. */
  async history(professionalId: number, today: string): Promise<DaySummary[]> {
    const found = await this.db.query<DayRow>(BASELINE_SQL, [professionalId, today]);
    return found.rows.map(summaryOf);
  }
}

function summaryOf(row: DayRow): DaySummary {
  return {
    day: row.day,
    weekday: Number(row.weekday),
    distinct: Number(row.patients),
    misses: Number(row.misses),
    unfollowed: Number(row.unfollowed),
    offHours: Number(row.off_hours),
  };
}

/** Every account's finished day from the access log and the engagements, for the platform's daily drifts. */
export class DbPlatformHistory implements PlatformHistory {
  constructor(private readonly db: Database) {}

  async accountDays(day: string): Promise<AccountDay[]> {
    const found = await this.db.query<{ professional_id: number; patients: number; unfollowed: number; past_unfollowed: number; past_patients: number; past_days: number }>(
      PLATFORM_DAY_SQL,
      [day],
    );
    return found.rows.map((row) => ({
      account: Number(row.professional_id),
      distinct: Number(row.patients),
      unfollowed: Number(row.unfollowed),
      usualShare: usualUnfollowedShare(Number(row.past_unfollowed), Number(row.past_patients), Number(row.past_days)),
      learnedDays: Number(row.past_days),
    }));
  }

  uninvoicedDays(from: CalendarDate, to: CalendarDate): Promise<Map<CalendarDate, AccountDay[]>> {
    return uninvoicedDays(this.db, from, to);
  }
}

/**
 * Last day of use per account (account_activity). One statement records today and returns
 * the day before it; the engine asks at most once per account and day on each instance.
 */
export class DbActivitySource implements ActivitySource {
  constructor(private readonly db: Database) {}

  async touch(professionalId: number, day: string): Promise<string | null> {
    // Data-modifying CTEs run to completion whether read or not, on the statement's snapshot:
    // `previous` sees the row as it was before this statement's upsert.
    const found = await this.db.query<{ previous: string }>(
      `WITH previous AS (SELECT last_seen FROM account_activity WHERE professional_id = $1),
            touched AS (INSERT INTO account_activity AS a (professional_id, last_seen) VALUES ($1, $2::date)
                        ON CONFLICT (professional_id) DO UPDATE SET last_seen = greatest(a.last_seen, excluded.last_seen))
       SELECT to_char(last_seen, 'YYYY-MM-DD') AS previous FROM previous`,
      [professionalId, day],
    );
    return found.rows[0]?.previous ?? null;
  }
}
