/** A payment run's pure core: who is paid what on a day, with which references, and what each insurer funds. */
export { planPayments } from './plan.js';
export type { AccountOf } from './plan.js';
export type { CreditTransfer, InsurerFunding, PayableInvoice, PaymentPlan, Recovery, Transfer, Withheld } from './model.js';
export { parseBankAccount } from './bank-account.js';
export type { BankAccount, Bic } from './bank-account.js';
export { messageIdOf, paymentIdOf, remittanceOf, runDateOfPaymentId } from './references.js';
export type { PaymentId } from './references.js';
export { toSepaLatin } from './sepa-latin.js';
export { reconcileEntries } from './reconcile.js';
export type { BankEntry, BankException, BankExceptionKind, KnownPayment, PaymentStatus, Reconciliation } from './reconcile.js';
