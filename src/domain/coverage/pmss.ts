import type { CalendarDate } from '../dates.js';
import { cents, type Cents } from '../money.js';

/** Plafond mensuel de la Sécurité sociale of 2025: 3 925 €. */
export const PMSS_2025_CENTS = cents(392_500);

/**
 * PMSS by calendar year, from the yearly arrêtés (2026: JO of 23 December 2025). A year
 * missing here is not guessed: the caller passes the value, or `N% PMSS` is refused.
 */
export const pmssCentsByYear: Readonly<Record<number, Cents>> = {
  2023: cents(366_600),
  2024: cents(386_400),
  2025: PMSS_2025_CENTS,
  2026: cents(400_500),
};

/** The PMSS in force on a date of care, if known. */
export function pmssOn(day: CalendarDate): Cents | undefined {
  return pmssCentsByYear[Number(day.slice(0, 4))];
}
