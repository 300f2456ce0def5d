import type { CalendarDate } from '../dates.js';
import type { Cents } from '../money.js';

/** One transaction of the bank's file (camt.054 or camt.053), as read. */
export interface BankEntry {
  /** Where it is in the file, for the operator: the entry's reference (or position), and the transaction's rank when it holds several. */
  readonly entry: string;
  /** The transfer it names (EndToEndId = the platform's payment id), when it names one. */
  readonly endToEndId: string | undefined;
  readonly amountCents: Cents;
  readonly direction: 'DBIT' | 'CRDT';
  /** Booked by the bank (status BOOK), on that day; a pending entry tells nothing final. */
  readonly bookedOn: CalendarDate | undefined;
  /** The ISO 20022 return reason (AC01, AC04, MD07…), present on a returned transfer only. */
  readonly returnReason: string | undefined;
}

export type PaymentStatus = 'instructed' | 'settled' | 'returned';

/** What the platform knows of a transfer an entry names. */
export interface KnownPayment {
  readonly amountCents: Cents;
  readonly status: PaymentStatus;
  /** The recoveries it netted (032): a return gives them back to no one, the operator settles them by hand. */
  readonly recoveredCents: Cents;
}

/** Why an entry is left to the operator rather than applied. */
export type BankExceptionKind =
  | 'ENTRY_NOT_BOOKED'
  | 'ENTRY_NOT_DEBIT'
  | 'PAYMENT_NOT_FOUND'
  | 'AMOUNT_MISMATCH'
  | 'RETURN_REASON_INVALID'
  | 'RETURN_OF_SETTLED'
  | 'ALREADY_RETURNED'
  | 'RETURN_WITH_RECOVERIES';

export interface BankException {
  readonly kind: BankExceptionKind;
  readonly entry: BankEntry;
}

export interface Reconciliation {
  /** Transfers booked as debited, each once, in the file's order. */
  readonly settled: readonly Fate[];
  readonly returned: readonly (Fate & { readonly reason: string })[];
  /** Debits of transfers already settled (a camt.053 repeating the day's camt.054): matched, nothing to do. */
  readonly known: number;
  readonly exceptions: readonly BankException[];
}

const RETURN_REASON = /^[A-Z0-9]{4}$/;

/**
 * What a bank file does to the transfers it names (MONEY.md, "Payments"): a booked debit
 * of a transfer's exact amount settles it; a booked return (any direction, with its reason)
 * of a transfer still instructed returns it (and, when it had netted recoveries, tells the
 * operator, who settles them by hand); everything else waits for the operator.
 * Entries are taken in the file's order against the statuses as they stand after the
 * previous ones, so that a file naming a transfer twice is judged as two files would be.
 * Pure: the caller applies it in one transaction.
 */
export function reconcileEntries(entries: readonly BankEntry[], payments: ReadonlyMap<string, KnownPayment>): Reconciliation {
  const statuses = new Map<string, PaymentStatus>();
  const settled: Fate[] = [];
  const returned: (Fate & { reason: string })[] = [];
  const exceptions: BankException[] = [];
  let known = 0;
  for (const entry of entries) {
    const verdict = verdictOf(entry, payments, statuses);
    if (verdict === 'known') known += 1;
    else if (typeof verdict === 'string') exceptions.push({ kind: verdict, entry });
    else if (verdict.reason === undefined) settled.push({ payment: verdict.payment, bookedOn: verdict.bookedOn });
    else {
      returned.push({ payment: verdict.payment, bookedOn: verdict.bookedOn, reason: verdict.reason });
      if ((payments.get(verdict.payment)?.recoveredCents ?? 0) > 0) exceptions.push({ kind: 'RETURN_WITH_RECOVERIES', entry });
    }
  }
  return { settled, returned, known, exceptions };
}

interface Fate {
  readonly payment: string;
  readonly bookedOn: CalendarDate;
}

/** One entry against the statuses so far (updated when it moves one): a fate, a debit already known, or an exception. */
function verdictOf(entry: BankEntry, payments: ReadonlyMap<string, KnownPayment>, statuses: Map<string, PaymentStatus>): (Fate & { reason: string | undefined }) | 'known' | BankExceptionKind {
  const id = entry.endToEndId;
  const payment = id === undefined ? undefined : payments.get(id);
  if (entry.bookedOn === undefined) return 'ENTRY_NOT_BOOKED';
  if (id === undefined || payment === undefined) return 'PAYMENT_NOT_FOUND';
  if (entry.amountCents !== payment.amountCents) return 'AMOUNT_MISMATCH';
  const current = statuses.get(id) ?? payment.status;
  if (current === 'returned') return 'ALREADY_RETURNED';
  if (entry.returnReason !== undefined) {
    if (!RETURN_REASON.test(entry.returnReason)) return 'RETURN_REASON_INVALID';
    if (current === 'settled') return 'RETURN_OF_SETTLED';
    statuses.set(id, 'returned');
    return { payment: id, bookedOn: entry.bookedOn, reason: entry.returnReason };
  }
  if (entry.direction !== 'DBIT') return 'ENTRY_NOT_DEBIT';
  if (current === 'settled') return 'known';
  statuses.set(id, 'settled');
  return { payment: id, bookedOn: entry.bookedOn, reason: undefined };
}
