import type { Recovery } from './model.js';

/** Oldest first; the id settles recoveries of one day, so that any input order gives one order. */
export function oldestFirst(a: Recovery, b: Recovery): number {
  return compare(a.recordedOn, b.recordedOn) || compare(a.id, b.id);
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Which of a payee's recoveries the day's transfer nets: whole recoveries, oldest first,
 * as long as the transfer stays above zero, stopping at the first that does not fit.
 *
 * Whole, so that a recovery is netted by exactly one transfer, as an invoice is paid by
 * exactly one (the store keeps both with the same "at most once" constraint, and a returned
 * transfer re-opens exactly its invoices and recoveries). Without skipping, so that a large
 * old recovery is not overtaken forever by small new ones: when it does not fit, the payee's
 * invoices wait with it, and the amount owed grows run after run until it does.
 */
export function netRecoveries(owedCents: number, recoveries: readonly Recovery[]): { netted: Recovery[]; left: Recovery[] } {
  const ordered = [...recoveries].sort(oldestFirst);
  let remaining = owedCents;
  let count = 0;
  for (const recovery of ordered) {
    if (recovery.amountCents >= remaining) break;
    remaining -= recovery.amountCents;
    count += 1;
  }
  return { netted: ordered.slice(0, count), left: ordered.slice(count) };
}
