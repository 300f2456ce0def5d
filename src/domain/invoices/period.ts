import { RempartError } from '../errors/codes.js';
import { DAY_MS, parseCalendarDate, type CalendarDate } from '../dates.js';

/** The longest period an insurer's invoice reads cover: a year, leap day included. */
export const MAX_PERIOD_DAYS = 366;

/** Days of decision, both ends included (UTC). */
export interface DecisionPeriod {
  from: CalendarDate;
  to: CalendarDate;
}

/**
 * The period `du`–`au` of an insurer's invoice read, each end defaulting to the other, both
 * to today: valid days, the end not before the start, at most MAX_PERIOD_DAYS long.
 */
export function readPeriod(du: string | undefined, au: string | undefined, today: CalendarDate): DecisionPeriod {
  const from = dayOf('du', du ?? au ?? today);
  const to = dayOf('au', au ?? du ?? today);
  if (to < from) throw new RempartError('PERIOD_INVALID', `du ${from} au ${to}`);
  if (periodDays({ from, to }) > MAX_PERIOD_DAYS) throw new RempartError('PERIOD_TOO_LONG', `du ${from} au ${to}`);
  return { from, to };
}

/** How many days the period holds, both ends counted. */
export function periodDays(period: DecisionPeriod): number {
  return (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS + 1;
}

function dayOf(field: string, text: string): CalendarDate {
  const parsed = parseCalendarDate(text);
  if (!parsed.ok) throw new RempartError('DATE_INVALID', `${field} : ${parsed.error.reason}`);
  return parsed.value;
}
