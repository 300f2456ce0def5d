import type { CalendarDate } from '../dates.js';
import { RempartError } from '../errors/codes.js';
import type { PayableInvoice, Recovery } from './model.js';

/**
 * What the run's selection must already guarantee, checked again because a slip here pays
 * twice or pays what is not due: amounts in whole positive cents, each invoice and
 * recovery once, nothing decided or recorded after the run's day.
 */
export function checkPlanInput(runDate: CalendarDate, payables: readonly PayableInvoice[], recoveries: readonly Recovery[]): void {
  const numbers = new Set<string>();
  for (const i of payables) {
    checkEntry(runDate, numbers, i.number, i.paidCents, i.decidedOn, 'facture');
    const count = countOf(i);
    if (!Number.isSafeInteger(count) || count < 1 || count > i.paidCents) throw new RempartError('PAYMENT_AMOUNT_INVALID', `facture ${i.number} : ${count} factures`);
  }
  const ids = new Set<string>();
  for (const r of recoveries) checkEntry(runDate, ids, r.id, r.amountCents, r.recordedOn, 'récupération');
}

function checkEntry(runDate: CalendarDate, seen: Set<string>, key: string, amount: number, day: CalendarDate, kind: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RempartError('PAYMENT_AMOUNT_INVALID', `${kind} ${key} : ${amount}`);
  if (seen.has(key)) throw new RempartError('PAYMENT_DUPLICATE', `${kind} ${key}`);
  if (day > runDate) throw new RempartError('PAYMENT_DATE_INVALID', `${kind} ${key} : ${day} après ${runDate}`);
  seen.add(key);
}

/** How many invoices a payable entry stands for (model.ts, invoiceCount). */
export function countOf(invoice: PayableInvoice): number {
  return invoice.invoiceCount ?? 1;
}
