/**
 * Days as integers (days since 1970-01-01, UTC): ages, gaps between siblings and periods
 * are then plain arithmetic, and only the file needs the AAAA-MM-JJ text.
 */
import { DAY_MS } from '../domain/dates.js';

export function toDay(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

export function firstDayOfYear(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}

export function lastDayOfYear(year: number): number {
  return Date.UTC(year, 11, 31) / DAY_MS;
}

/** Whole years, for choosing coverage by age; leap days do not matter at this scale. */
export const DAYS_PER_YEAR = 365.25;
