import type { CalendarDate } from '../dates.js';
import { RempartError } from '../errors/codes.js';
import { cents } from '../money.js';
import type { BankAccount } from './bank-account.js';
import { fundingOf } from './funding.js';
import type { PayableInvoice, PaymentPlan, Recovery, Transfer, Withheld } from './model.js';
import { compare, netRecoveries, oldestFirst } from './netting.js';
import { checkPlanInput, countOf } from './plan-input.js';
import { paymentIdOf, remittanceOf } from './references.js';

/**
 * The account a site is paid to on the run's day, if it has one; 'flagged' when a transfer
 * to it was returned (migration 033): nothing is paid to it until a new account is confirmed.
 */
export type AccountOf = (siteId: number) => BankAccount | 'flagged' | undefined;

interface Payee {
  readonly account: BankAccount;
  readonly invoices: PayableInvoice[];
  readonly recoveries: Recovery[];
}

/**
 * A run day's payments (MONEY.md, "Payments"): one credit transfer per payee account,
 * paying every payable invoice of the sites paid to it, whatever their insurers, less the
 * recoveries it nets (netting.ts); the funding each insurer owes (funding.ts); what waits
 * for the next run. Pure and deterministic: the same invoices and recoveries in any order
 * give the same plan, ids included, so a run made again pays nothing new.
 */
export function planPayments(runDate: CalendarDate, payables: readonly PayableInvoice[], recoveries: readonly Recovery[], accountOf: AccountOf): PaymentPlan {
  checkPlanInput(runDate, payables, recoveries);
  const accounts = accountsOfSites([...payables, ...recoveries].map((x) => x.siteId), accountOf);
  const payees = new Map<string, Payee>();
  const unpaid = new Map<number, PayableInvoice[]>();
  const recoveriesLeft: Recovery[] = [];
  for (const invoice of payables) {
    const account = accounts.get(invoice.siteId);
    if (account && account !== 'flagged') payeeOf(payees, account).invoices.push(invoice);
    else entryOf(unpaid, invoice.siteId, () => []).push(invoice);
  }
  for (const recovery of recoveries) {
    const account = accounts.get(recovery.siteId);
    if (account && account !== 'flagged') payeeOf(payees, account).recoveries.push(recovery);
    else recoveriesLeft.push(recovery);
  }
  const withheld: Withheld[] = [...unpaid.entries()]
    .sort(([a], [b]) => a - b)
    .map(([siteId, invoices]) => ({
      reason: accounts.get(siteId) === 'flagged' ? 'PAYMENT_ACCOUNT_FLAGGED' : 'PAYMENT_ACCOUNT_MISSING', siteId, invoices: invoices.sort(byNumber),
    }));
  const transfers: Transfer[] = [];
  for (const payee of [...payees.values()].sort((a, b) => compare(a.account.iban, b.account.iban))) {
    const settled = settle(runDate, payee);
    if (settled.transfer) transfers.push(settled.transfer);
    if (settled.withheld) withheld.push(settled.withheld);
    recoveriesLeft.push(...settled.left);
  }
  return { runDate, transfers, funding: fundingOf(transfers), withheld, recoveriesLeft: recoveriesLeft.sort(oldestFirst) };
}

/** A payee's day: a transfer and the recoveries it could not net, or nothing paid when the oldest recovery outweighs what it is owed. */
function settle(runDate: CalendarDate, payee: Payee): { transfer?: Transfer; withheld?: Withheld; left: Recovery[] } {
  // Recoveries of an account with nothing to pay today only wait.
  if (payee.invoices.length === 0) return { left: payee.recoveries };
  const invoices = payee.invoices.sort(byNumber);
  const owedCents = sum(invoices.map((i) => i.paidCents));
  const { netted, left } = netRecoveries(owedCents, payee.recoveries);
  const oldest = left[0];
  if (netted.length === 0 && oldest) {
    const withheld = { reason: 'PAYMENT_RECOVERIES_EXCEED', account: payee.account, invoices, owedCents: cents(owedCents), oldestRecoveryCents: oldest.amountCents } as const;
    return { withheld, left };
  }
  const recoveredCents = sum(netted.map((r) => r.amountCents));
  const paymentId = paymentIdOf(runDate, payee.account.iban);
  const transfer: Transfer = {
    paymentId,
    account: payee.account,
    amountCents: cents(owedCents - recoveredCents),
    remittance: remittanceOf(paymentId, sum(invoices.map(countOf)), netted.length),
    invoices,
    recoveries: netted,
    invoicedCents: cents(owedCents),
    recoveredCents: cents(recoveredCents),
  };
  return { transfer, left };
}

/**
 * Each site's account, asked once per site. Sites sharing an IBAN share a transfer; one IBAN
 * given two BICs or two holders is refused, since the file could name only one of them.
 */
function accountsOfSites(siteIds: readonly number[], accountOf: AccountOf): Map<number, ReturnType<AccountOf>> {
  const accounts = new Map<number, ReturnType<AccountOf>>();
  const byIban = new Map<string, { siteId: number; account: BankAccount }>();
  for (const siteId of [...new Set(siteIds)].sort((a, b) => a - b)) {
    const account = accountOf(siteId);
    accounts.set(siteId, account);
    if (!account || account === 'flagged') continue;
    const first = byIban.get(account.iban);
    if (first && (first.account.bic !== account.bic || first.account.holder !== account.holder)) {
      throw new RempartError('PAYMENT_ACCOUNT_CONFLICT', `structures ${first.siteId} et ${siteId}`);
    }
    byIban.set(account.iban, first ?? { siteId, account });
  }
  return accounts;
}

function payeeOf(payees: Map<string, Payee>, account: BankAccount): Payee {
  return entryOf(payees, account.iban, () => ({ account, invoices: [], recoveries: [] }));
}

function entryOf<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  const found = map.get(key) ?? create();
  map.set(key, found);
  return found;
}

function byNumber(a: PayableInvoice, b: PayableInvoice): number {
  return compare(a.number, b.number);
}

function sum(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => total + amount, 0);
}
