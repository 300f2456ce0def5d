import { today } from '../../clock.js';
import { addDays, HOUR_MS, type CalendarDate } from '../../domain/dates.js';
import { localTime } from '../local-time.js';

/**
 * Days and hours the shield's tests stand on, derived from the clock rather than written:
 * the shield reads Paris time (local-time.ts), one or two hours ahead of UTC.
 */

/** The instant `day` shows `hour`:00 in Paris, winter or summer. */
export function parisAt(day: CalendarDate, hour: number): number {
  const guess = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  return guess - ((localTime(guess).hour - hour + 24) % 24) * HOUR_MS;
}

/** The first day from `from` on (itself included) that is that weekday (0 = Sunday). */
export function nextWeekday(weekday: number, from: CalendarDate = today()): CalendarDate {
  return addDays(from, (weekday - new Date(`${from}T00:00:00Z`).getUTCDay() + 7) % 7);
}
