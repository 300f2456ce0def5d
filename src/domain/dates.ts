import type { Brand, Result } from './identifiers/result.js';

/**
 * A calendar day (date of care, start of a contract), as 'YYYY-MM-DD'. Never a timestamp:
 * a right valid on 2026-03-01 is valid that whole day wherever the server runs. The ISO
 * form sorts and compares correctly as a string.
 */
export type CalendarDate = Brand<string, 'CalendarDate'>;

export function parseCalendarDate(input: string): Result<CalendarDate, { code: 'DATE_INVALID'; reason: string }> {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const asDate = new Date(Date.UTC(year, month - 1, day));
  const exists = asDate.getUTCFullYear() === year && asDate.getUTCMonth() === month - 1 && asDate.getUTCDate() === day;
  if (!match || !exists || year < 1900 || year > 2999) {
    return { ok: false, error: { code: 'DATE_INVALID', reason: `« ${input} » n'est pas une date AAAA-MM-JJ existante.` } };
  }
  return { ok: true, value: input as CalendarDate };
}

/** Today in UTC, the platform's only time zone. */
export function todayUtc(now: Date = new Date()): CalendarDate {
  return now.toISOString().slice(0, 10) as CalendarDate;
}

/** Whether `day` lies in [from, to], `to` null meaning open-ended. */
export function withinPeriod(day: CalendarDate, from: CalendarDate, to: CalendarDate | null): boolean {
  return from <= day && (to === null || day <= to);
}
