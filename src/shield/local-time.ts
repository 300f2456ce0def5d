import { DAY_MS, HOUR_MS, type CalendarDate } from '../domain/dates.js';

/**
 * Working hours are French hours: the shield reads the time of day and the day of the
 * week in Europe/Paris (UTC+1, UTC+2 in summer), whatever the server's zone.
 */
export interface LocalTime {
  /** The local calendar day, YYYY-MM-DD. */
  day: CalendarDate;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  hour: number;
}

const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });
const weekdays: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// Intl is slow for the hot path; one answer per UTC hour is enough (zones shift by whole hours).
const cache = new Map<number, LocalTime>();

export function localTime(nowMs: number): LocalTime {
  const hourBucket = Math.floor(nowMs / HOUR_MS);
  let found = cache.get(hourBucket);
  if (!found) {
    const parts = Object.fromEntries(format.formatToParts(new Date(hourBucket * HOUR_MS)).map((p) => [p.type, p.value]));
    found = { day: `${parts.year}-${parts.month}-${parts.day}` as CalendarDate, weekday: weekdays[parts.weekday ?? ''] ?? 0, hour: Number(parts.hour) };
    if (cache.size > 10_000) cache.clear();
    cache.set(hourBucket, found);
  }
  return found;
}

/**
 * At night, 21:00–7:00. Sundays are not off hours here: a pharmacy on duty works them, and
 * a Sunday's volume is already weighed against the account's own Sundays.
 */
export function offHours(time: LocalTime): boolean {
  return time.hour < 7 || time.hour >= 21;
}

/** Whole calendar days from one day (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
