import type { CalendarDate } from '../dates.js';
import type { AmcNumber } from '../identifiers/amc-number.js';
import type { Cents } from '../money.js';
import type { BankAccount } from './bank-account.js';
import type { PaymentId } from './references.js';

/** An accepted invoice not paid yet: what its insurer pays the site that sent it. */
export interface PayableInvoice {
  readonly insurerId: number;
  readonly amcNumber: AmcNumber;
  /** The platform's number of the invoice's decision, F…, which the invoice's return carries. */
  readonly number: string;
  readonly siteId: number;
  readonly paidCents: Cents;
  readonly careDate: CalendarDate;
  readonly decidedOn: CalendarDate;
  /**
   * How many invoices the entry stands for (1 when absent). A run plans on sums, one entry
   * per insurer and site made by the store (its number then names that pair, its paid
   * amount is their sum and its day the last decision), so that its memory does not grow
   * with the number of invoices; a site's entries always share a transfer, so the plan is
   * the one its invoices one by one would give.
   */
  readonly invoiceCount?: number;
}

/**
 * What a site owes back to an insurer: an invoice paid, then cancelled or corrected
 * downwards (MONEY.md: never update a paid amount). Netted against the site's next payments.
 */
export interface Recovery {
  /** The store's key of the recovery, so that the run records which transfer netted it. */
  readonly id: string;
  readonly insurerId: number;
  readonly siteId: number;
  readonly amountCents: Cents;
  /** The F… number of the invoice it recovers. */
  readonly originInvoice: string;
  /** Recoveries are netted oldest first. */
  readonly recordedOn: CalendarDate;
}

/** What a SEPA file needs of a transfer. */
export interface CreditTransfer {
  /** The EndToEndId, and the payment reference the remittance and the invoices' returns carry. */
  readonly paymentId: PaymentId;
  readonly account: BankAccount;
  readonly amountCents: Cents;
  readonly remittance: string;
}

/** One transfer of a run: everything a payee account is paid that day, recoveries netted. */
export interface Transfer extends CreditTransfer {
  /** By number. */
  readonly invoices: readonly PayableInvoice[];
  /** Netted against the invoices, oldest first. */
  readonly recoveries: readonly Recovery[];
  readonly invoicedCents: Cents;
  readonly recoveredCents: Cents;
}

/**
 * What an insurer funds on a run day: its invoices in the day's transfers minus its own
 * recoveries netted that day, whichever insurers' invoices the transfer that netted them
 * pays. Negative when its recoveries outweigh its invoices: the platform then owes it that
 * amount, taken from the other insurers' funding of the same transfers.
 */
export interface InsurerFunding {
  readonly insurerId: number;
  readonly invoiceCount: number;
  readonly invoicedCents: Cents;
  readonly recoveryCount: number;
  readonly recoveredCents: Cents;
  readonly fundingCents: Cents;
}

/** Invoices paid nothing on a run day, and why: they wait for the next run. */
export type Withheld =
  | { readonly reason: 'PAYMENT_ACCOUNT_MISSING' | 'PAYMENT_ACCOUNT_FLAGGED'; readonly siteId: number; readonly invoices: readonly PayableInvoice[] }
  | {
      readonly reason: 'PAYMENT_RECOVERIES_EXCEED';
      readonly account: BankAccount;
      readonly invoices: readonly PayableInvoice[];
      readonly owedCents: Cents;
      /** The oldest of the payee's recoveries, which must be netted first, is at least what it is owed. */
      readonly oldestRecoveryCents: Cents;
    };

export interface PaymentPlan {
  readonly runDate: CalendarDate;
  /** One per payee account, by IBAN; every amount strictly positive. */
  readonly transfers: readonly Transfer[];
  /** By insurer id. */
  readonly funding: readonly InsurerFunding[];
  /** Sites without an account or whose account a returned transfer flagged, then payees owing more than they are owed, each by site id or IBAN. */
  readonly withheld: readonly Withheld[];
  /** Every recovery not netted today, oldest first: carried to the next run. */
  readonly recoveriesLeft: readonly Recovery[];
}
