import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays } from '../dates.js';
import type { BankAccount } from './bank-account.js';
import { planPayments } from './plan.js';
import { refusedWith } from './test-support/refused.js';
import { payable, recovery, specimenAccount } from './test-support/runs.js';

const runDate = today();
const pharmacy = specimenAccount(1, 'Pharmacie de l’Étoile');
const optician = specimenAccount(2, 'Optique du Port');
/** Sites 1 and 2 are two pharmacies of one owner paid to one account; site 3 an optician; site 4 has no account yet. */
const accounts = new Map<number, BankAccount>([[1, pharmacy], [2, pharmacy], [3, optician]]);
const accountOf = (siteId: number): BankAccount | undefined => accounts.get(siteId);

describe('planPayments', () => {
  it('pays each account once, across its sites and insurers, less its recoveries, and says what each insurer funds', () => {
    const invoices = [
      payable(runDate, { insurerId: 1, siteId: 1, paidCents: 12_000, index: 1 }),
      payable(runDate, { insurerId: 2, siteId: 2, paidCents: 3_050, index: 2, daysAgo: 3 }),
      payable(runDate, { insurerId: 2, siteId: 3, paidCents: 40_000, index: 3 }),
    ];
    const recoveries = [recovery(runDate, { id: 'R1', insurerId: 3, siteId: 2, amountCents: 1_000, daysAgo: 20 })];
    const plan = planPayments(runDate, invoices, recoveries, accountOf);

    expect(plan.transfers.map((t) => [t.account.holder, t.amountCents, t.invoices.length, t.recoveries.map((r) => r.id)])).toEqual([
      ['Pharmacie de l’Étoile', 14_050, 2, ['R1']],
      ['Optique du Port', 40_000, 1, []],
    ]);
    const [first] = plan.transfers;
    expect(first?.remittance).toBe(`REMPART ${first?.paymentId} 2 FACT 1 INDU`);
    // Insurer 3 has no invoice today: its recovery, netted against the others' invoices, is owed back to it.
    expect(plan.funding.map((f) => [f.insurerId, f.fundingCents])).toEqual([[1, 12_000], [2, 43_050], [3, -1_000]]);
    expect(plan.withheld).toEqual([]);
    expect(plan.recoveriesLeft).toEqual([]);
  });

  it('pays nothing to a site whose account a returned transfer flagged: its invoices wait, named, its recoveries are carried', () => {
    const invoices = [
      payable(runDate, { insurerId: 1, siteId: 3, paidCents: 5_000, index: 1 }),
      payable(runDate, { insurerId: 1, siteId: 1, paidCents: 2_000, index: 2 }),
    ];
    const carried = recovery(runDate, { id: 'R1', insurerId: 1, siteId: 3, amountCents: 1_000, daysAgo: 2 });
    const plan = planPayments(runDate, invoices, [carried], (siteId) => (siteId === 3 ? 'flagged' : accountOf(siteId)));
    expect(plan.transfers.map((t) => [t.account.holder, t.amountCents])).toEqual([['Pharmacie de l’Étoile', 2_000]]);
    expect(plan.withheld).toEqual([{ reason: 'PAYMENT_ACCOUNT_FLAGGED', siteId: 3, invoices: [invoices[0]] }]);
    expect(plan.recoveriesLeft).toEqual([carried]);
  });

  it('nets recoveries oldest first, whole, while the transfer stays above zero, and carries the rest', () => {
    const invoices = [payable(runDate, { insurerId: 1, siteId: 1, paidCents: 10_000, index: 1 })];
    const r1 = recovery(runDate, { id: 'R1', insurerId: 1, siteId: 1, amountCents: 6_000, daysAgo: 9 });
    const r2 = recovery(runDate, { id: 'R2', insurerId: 2, siteId: 2, amountCents: 3_000, daysAgo: 1 });
    const r3 = recovery(runDate, { id: 'R3', insurerId: 1, siteId: 1, amountCents: 500, daysAgo: 0 });
    const all = planPayments(runDate, invoices, [r3, r2, r1], accountOf);
    expect(all.transfers.map((t) => [t.amountCents, t.recoveries.map((r) => r.id)])).toEqual([[500, ['R1', 'R2', 'R3']]]);

    // R2 grown to 4,000 cents would leave nothing to transfer: it waits, and R3, which would fit, waits behind it.
    const r2Larger = { ...r2, amountCents: 4_000 as typeof r2.amountCents };
    const tight = planPayments(runDate, invoices, [r3, r2Larger, r1], accountOf);
    expect(tight.transfers.map((t) => [t.amountCents, t.recoveries.map((r) => r.id)])).toEqual([[4_000, ['R1']]]);
    expect(tight.recoveriesLeft.map((r) => r.id)).toEqual(['R2', 'R3']);
  });

  it('pays nothing to a payee whose oldest recovery is at least what it is owed, and never a transfer of zero', () => {
    const invoices = [payable(runDate, { insurerId: 1, siteId: 3, paidCents: 5_000, index: 1 })];
    const recoveries = [recovery(runDate, { id: 'R1', insurerId: 2, siteId: 3, amountCents: 5_000, daysAgo: 4 })];
    const plan = planPayments(runDate, invoices, recoveries, accountOf);
    expect(plan.transfers).toEqual([]);
    expect(plan.funding).toEqual([]);
    expect(plan.withheld).toEqual([{ reason: 'PAYMENT_RECOVERIES_EXCEED', account: optician, invoices, owedCents: 5_000, oldestRecoveryCents: 5_000 }]);
    expect(plan.recoveriesLeft).toEqual(recoveries);
  });

  it('withholds the invoices of a site without an account, and carries its recoveries', () => {
    const invoices = [payable(runDate, { insurerId: 1, siteId: 4, paidCents: 700, index: 1 })];
    const recoveries = [recovery(runDate, { id: 'R1', insurerId: 1, siteId: 4, amountCents: 100, daysAgo: 4 })];
    const plan = planPayments(runDate, invoices, recoveries, accountOf);
    expect(plan.transfers).toEqual([]);
    expect(plan.withheld).toEqual([{ reason: 'PAYMENT_ACCOUNT_MISSING', siteId: 4, invoices }]);
    expect(plan.recoveriesLeft).toEqual(recoveries);
  });

  it('gives an account the same payment id when the run is made again, and another one the next day', () => {
    const invoices = [payable(runDate, { insurerId: 1, siteId: 1, paidCents: 700, index: 1 })];
    const id = planPayments(runDate, invoices, [], accountOf).transfers[0]?.paymentId;
    expect(planPayments(runDate, invoices, [], accountOf).transfers[0]?.paymentId).toBe(id);
    expect(id).toMatch(/^RP\d{8}-[0-9A-HJKMNP-TV-Z]{13}$/);
    expect(id?.slice(2, 10)).toBe(runDate.replaceAll('-', ''));
    const tomorrow = addDays(runDate, 1);
    expect(planPayments(tomorrow, invoices, [], accountOf).transfers[0]?.paymentId).not.toBe(id);
  });

  it.each([
    ['a zero amount', [payable(runDate, { insurerId: 1, siteId: 1, paidCents: 0, index: 1 })], [], 'PAYMENT_AMOUNT_INVALID'],
    ['a fractional amount', [payable(runDate, { insurerId: 1, siteId: 1, paidCents: 1, index: 1 })].map((i) => ({ ...i, paidCents: 10.5 as typeof i.paidCents })), [], 'PAYMENT_AMOUNT_INVALID'],
    ['a negative recovery', [], [recovery(runDate, { id: 'R1', insurerId: 1, siteId: 1, amountCents: -5, daysAgo: 0 })], 'PAYMENT_AMOUNT_INVALID'],
    ['an invoice twice', [1, 1].map((siteId) => payable(runDate, { insurerId: 1, siteId, paidCents: 5, index: 7 })), [], 'PAYMENT_DUPLICATE'],
    ['a recovery twice', [], [1, 2].map((siteId) => recovery(runDate, { id: 'R1', insurerId: 1, siteId, amountCents: 5, daysAgo: 0 })), 'PAYMENT_DUPLICATE'],
    ['an invoice decided after the run day', [payable(runDate, { insurerId: 1, siteId: 1, paidCents: 5, index: 1, daysAgo: -1 })], [], 'PAYMENT_DATE_INVALID'],
    ['a recovery recorded after the run day', [], [recovery(runDate, { id: 'R1', insurerId: 1, siteId: 1, amountCents: 5, daysAgo: -1 })], 'PAYMENT_DATE_INVALID'],
  ] as const)('refuses %s', (_what, invoices, recoveries, code) => {
    expect(() => planPayments(runDate, invoices, recoveries, accountOf)).toThrow(refusedWith(code));
  });

  it('refuses one IBAN given with two holders, rather than name one of them in the file', () => {
    const renamed = { ...pharmacy, holder: 'Autre titulaire' };
    const invoices = [1, 5].map((siteId, index) => payable(runDate, { insurerId: 1, siteId, paidCents: 5, index }));
    expect(() => planPayments(runDate, invoices, [], (siteId) => (siteId === 5 ? renamed : accountOf(siteId)))).toThrow(refusedWith('PAYMENT_ACCOUNT_CONFLICT'));
  });
});
