import { isCalendarDay } from '../dates.js';
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

/** Parses `AAAA-MM-JJ`; `today` bounds the year and is a parameter so tests stay stable. */
export function parseBirthDate(input: string, today: Date = new Date()): Result<BirthDate, BirthDateError> {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (!match) return invalid('La date de naissance doit avoir la forme AAAA-MM-JJ.');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
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
