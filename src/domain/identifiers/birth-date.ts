import { isCalendarDay, type CalendarDate } from '../dates.js';
import type { Brand, Result } from './result.js';

/**
 * A birth date exactly as the insurer sent it. Some people born abroad have a "lunar" date
 * (day or month 00, or a day the month lacks): it identifies them, so it is kept verbatim,
 * never corrected, and only flagged.
 */
export type BirthDate = Brand<
  {
    /** The input, character for character. */
    readonly text: string;
    readonly year: number;
    readonly month: number;
    readonly day: number;
    /** True when the date is not on the calendar (e.g. 1962-00-00, 1980-02-30). */
    readonly lunar: boolean;
  },
  'BirthDate'
>;

export interface BirthDateError {
  readonly code: 'DATE_INVALID';
  readonly reason: string;
}

const FIRST_BIRTH_YEAR = 1850;

/**
 * Year, month and day of `AAAA-MM-JJ` as written, lunar or not; undefined for any other
 * shape. No bound on the year, hence no clock: the NIR generator's reader, so that a seed
 * replays the same data set whatever the day.
 */
export function birthDateFields(input: string): { year: number; month: number; day: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  return match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
}

/** Parses `AAAA-MM-JJ`; `today` bounds the year: the caller's clock, a fixed day in tests. */
export function parseBirthDate(input: string, today: Date): Result<BirthDate, BirthDateError> {
  const fields = birthDateFields(input);
  if (!fields) return invalid('La date de naissance doit avoir la forme AAAA-MM-JJ.');
  const { year, month, day } = fields;
  const lastYear = today.getUTCFullYear();
  if (year < FIRST_BIRTH_YEAR || year > lastYear) {
    return invalid(`L'année de naissance doit être comprise entre ${FIRST_BIRTH_YEAR} et ${lastYear}.`);
  }
  const lunar = !isCalendarDay(year, month, day);
  return { ok: true, value: { text: input, year, month, day, lunar } as BirthDate };
}

function invalid(reason: string): { readonly ok: false; readonly error: BirthDateError } {
  return { ok: false, error: { code: 'DATE_INVALID', reason } };
}

/**
 * Age in whole years on `day`, for the rules that depend on it (glasses renewed yearly
 * under 16). A lunar month or day counts as January or the 1st: the older possible age,
 * which renews less often, the side that pays less. Undefined before birth.
 */
export function ageOn(birth: BirthDate, day: CalendarDate): number | undefined {
  const month = birth.month >= 1 && birth.month <= 12 ? birth.month : 1;
  const date = birth.day >= 1 ? birth.day : 1;
  const [year = 0, dayMonth = 0, dayDate = 0] = day.split('-').map(Number);
  const age = year - birth.year - (dayMonth * 100 + dayDate < month * 100 + date ? 1 : 0);
  return age >= 0 ? age : undefined;
}
