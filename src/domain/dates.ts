import type { Brand, Result } from './identifiers/result.js';

/**
 * A calendar day (date of care, start of a contract), as 'YYYY-MM-DD'. Never a timestamp:
 * a right valid on 2026-03-01 is valid that whole day wherever the server runs. The ISO
 * form sorts and compares correctly as a string.
 */
export type CalendarDate = Brand<string, 'CalendarDate'>;

/** The platform's one hour and one day in milliseconds (UTC has no daylight saving: a day is always 24 hours). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const shape = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checked by arithmetic, not by building a Date: a 33-million-line file has ~30 dates a line. */
export function parseCalendarDate(input: string): Result<CalendarDate, { code: 'DATE_INVALID'; reason: string }> {
  const match = shape.exec(input);
  if (match && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3])) && input >= '1900' && input < '3000') {
    return { ok: true, value: input as CalendarDate };
  }
  return { ok: false, error: { code: 'DATE_INVALID', reason: `« ${input} » n'est pas une date AAAA-MM-JJ existante.` } };
}

export function isCalendarDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The day of `now` in UTC, the platform's only time zone. The clock is read outside the domain (src/clock.ts). */
export function todayUtc(now: Date): CalendarDate {
  return now.toISOString().slice(0, 10) as CalendarDate;
}

/** Whether `day` lies in [from, to], `to` null meaning open-ended. */
export function withinPeriod(day: CalendarDate, from: CalendarDate, to: CalendarDate | null): boolean {
  return from <= day && (to === null || day <= to);
}

/** The calendar day `days` after `day` (before, when negative): calendar arithmetic, no time zone. */
export function addDays(day: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10) as CalendarDate;
}

/**
 * The calendar day `months` after `day` (before, when negative), on the same day of the
 * month or the month's last day when it has fewer (2024-02-29 + 12 months = 2025-02-28).
 */
export function addMonths(day: CalendarDate, months: number): CalendarDate {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
  const d = Math.min(date, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as CalendarDate;
}
