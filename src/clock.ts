import { todayUtc, type CalendarDate } from './domain/dates.js';

// Reading the clock is an effect, so it lives here and not in src/domain, which only computes on the days it is given.

/** Today in UTC by this process's clock: what the code and the tests that need "today" call. */
export function today(): CalendarDate {
  return todayUtc(new Date());
}
