import { addMonths, type CalendarDate } from '../dates.js';

/**
 * The period a guarantee's ceiling runs over. The calendar year is what a catalogue
 * without a period means (the annual ceiling of old catalogues); a rolling period counts
 * what was used in the N months up to the day of care ("300 € tous les 24 mois").
 */
export type CeilingPeriod = { readonly kind: 'calendar_year' } | { readonly kind: 'rolling'; readonly months: number };

export const CALENDAR_YEAR: CeilingPeriod = { kind: 'calendar_year' };
/** A catalogue writes at most ten years: longer is a typing error, and bounds what a calculation reads. */
export const MAX_PERIOD_MONTHS = 120;

/** Whose ceiling it is: the beneficiary's for the whole domain, or one per eye, one per ear. */
export type CeilingScope = 'beneficiary' | 'eye' | 'ear';

export type Side = 'right' | 'left';

/** Equipment the law renews only after a delay: a pair of glasses, a hearing aid (per ear). */
export type Equipment = 'glasses' | 'hearing_aid';

/**
 * One movement on a beneficiary's ceilings: a prior agreement reserves, an invoice
 * consumes, a cancelled agreement releases. Amounts are positive; the kind gives the sign.
 */
export interface CeilingEntry {
  readonly careDate: CalendarDate;
  readonly amountCents: number;
  readonly kind: 'reserved' | 'consumed' | 'released';
  readonly side?: Side;
  readonly equipment?: Equipment;
}

const sign: Readonly<Record<CeilingEntry['kind'], number>> = { reserved: 1, consumed: 1, released: -1 };

/** Whether `entryDate` falls in the period that contains `careDate`. */
export function inPeriod(entryDate: CalendarDate, careDate: CalendarDate, period: CeilingPeriod): boolean {
  if (period.kind === 'calendar_year') return entryDate.slice(0, 4) === careDate.slice(0, 4);
  return entryDate > addMonths(careDate, -period.months) && entryDate <= careDate;
}

/**
 * What the entries already use of a ceiling whose period contains the day of care. Never
 * negative: a release more than what it released (a correction out of order) frees nothing
 * that was not used. The sum does not depend on the entries' order.
 */
export function usedInPeriod(entries: readonly CeilingEntry[], careDate: CalendarDate, period: CeilingPeriod): number {
  const net = entries.filter((entry) => inPeriod(entry.careDate, careDate, period)).reduce((sum, entry) => sum + sign[entry.kind] * entry.amountCents, 0);
  return Math.max(0, net);
}

/**
 * The day of the last equipment of this kind (on this side, when a side is given) before
 * the day of care. An equipment is a (day, side) whose reservations and consumptions
 * outnumber its releases: a cancelled prior agreement leaves no equipment behind. Only days
 * strictly before the care day count, so an invoice never meets its own prior agreement.
 */
export function lastEquipmentBefore(entries: readonly CeilingEntry[], careDate: CalendarDate, equipment: Equipment, side: Side | undefined): CalendarDate | undefined {
  const count = new Map<string, number>();
  for (const entry of entries) {
    if (entry.equipment !== equipment || entry.careDate >= careDate || (side !== undefined && entry.side !== side)) continue;
    const key = `${entry.careDate}|${entry.side ?? ''}`;
    count.set(key, (count.get(key) ?? 0) + sign[entry.kind]);
  }
  const days = [...count].filter(([, n]) => n > 0).map(([key]) => key.slice(0, 10) as CalendarDate);
  return days.sort().at(-1);
}
