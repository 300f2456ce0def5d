import fc from 'fast-check';
import { addDays, type CalendarDate } from '../../dates.js';
import { parseAmcNumber } from '../../identifiers/amc-number.js';
import { cents } from '../../money.js';
import { frenchIban, parseBankAccount, type BankAccount } from '../bank-account.js';
import type { PayableInvoice, Recovery } from '../model.js';

/** A synthetic French account: bank 30006, branch 00001, account number n, with its RIB key and IBAN key. */
export function specimenAccount(n: number, holder = `Pharmacie ${n}`, bic = 'AGRIFRPP'): BankAccount {
  const parsed = parseBankAccount({ iban: frenchIban(30006, 1, n), bic, holder });
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.value;
}

const AMC = ['12345678', '987654321', '5550001110'].map((n) => {
  const parsed = parseAmcNumber(n);
  if (!parsed.ok) throw new Error(n);
  return parsed.value;
});

/** The platform's shape of an invoice's number (F, AMC number, "-", 16 base-32 characters), made from its index. */
export function invoiceNumber(insurerId: number, index: number): string {
  const tail = [...String(index).padStart(16, '0')].map((d) => 'ABCDEFGHIJ'[Number(d)]).join('');
  return `F${AMC[insurerId - 1] ?? ''}-${tail}`;
}

export function payable(runDate: CalendarDate, fields: { insurerId: number; siteId: number; paidCents: number; index: number; daysAgo?: number }): PayableInvoice {
  const decidedOn = addDays(runDate, -(fields.daysAgo ?? 0));
  return {
    insurerId: fields.insurerId,
    amcNumber: AMC[fields.insurerId - 1] ?? AMC[0]!,
    number: invoiceNumber(fields.insurerId, fields.index),
    siteId: fields.siteId,
    paidCents: cents(fields.paidCents),
    careDate: addDays(decidedOn, -2),
    decidedOn,
  };
}

export function recovery(runDate: CalendarDate, fields: { id: string; insurerId: number; siteId: number; amountCents: number; daysAgo: number }): Recovery {
  return {
    id: fields.id,
    insurerId: fields.insurerId,
    siteId: fields.siteId,
    amountCents: cents(fields.amountCents),
    originInvoice: invoiceNumber(fields.insurerId, 9_000_000 + Number(fields.id.replace(/\D/g, ''))),
    recordedOn: addDays(runDate, -fields.daysAgo),
  };
}

/** Eight sites, paid to five accounts (some shared) or to none; three insurers. */
const SITES = [1, 2, 3, 4, 5, 6, 7, 8];
const siteAccounts = fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { freq: 6 }), { minLength: SITES.length, maxLength: SITES.length });

export interface RandomRun {
  readonly payables: PayableInvoice[];
  readonly recoveries: Recovery[];
  readonly accountOf: (siteId: number) => BankAccount | undefined;
}

/** Invoices and recoveries of a run day, recoveries sometimes larger than what their site is owed. */
export function randomRun(runDate: CalendarDate, options: { maxInvoices?: number } = {}): fc.Arbitrary<RandomRun> {
  const site = fc.constantFrom(...SITES);
  const insurer = fc.integer({ min: 1, max: AMC.length });
  // Round amounts too, so that recoveries often equal exactly what is owed: the edge of a zero transfer.
  const amount = (max: number): fc.Arbitrary<number> => fc.oneof(fc.integer({ min: 1, max }), fc.constantFrom(1_000, 2_000, 3_000, 5_000));
  const invoices = fc.array(fc.record({ insurerId: insurer, siteId: site, paidCents: amount(300_000), daysAgo: fc.integer({ min: 0, max: 9 }) }), {
    maxLength: options.maxInvoices ?? 40,
  });
  const recoveries = fc.array(fc.record({ insurerId: insurer, siteId: site, amountCents: amount(400_000), daysAgo: fc.integer({ min: 0, max: 60 }) }), { maxLength: 8 });
  return fc.tuple(invoices, recoveries, siteAccounts).map(([i, r, accounts]) => ({
    payables: i.map((fields, index) => payable(runDate, { ...fields, index })),
    recoveries: r.map((fields, index) => recovery(runDate, { ...fields, id: `R${index}` })),
    accountOf: (siteId: number) => {
      const n = accounts[siteId - 1];
      return n === null || n === undefined ? undefined : specimenAccount(n);
    },
  }));
}
