import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays } from '../dates.js';
import { messageIdOf, paymentIdOf, remittanceOf, runDateOfPaymentId } from './references.js';
import { specimenAccount } from './test-support/runs.js';

const runDate = today();
const compactDay = runDate.replaceAll('-', '');

describe('payment references', () => {
  it('are SEPA ids of at most 35 characters in [A-Z0-9-], one per account and day, for any accounts and days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_650 }), fc.uniqueArray(fc.integer({ min: 1, max: 99_999_999 }), { minLength: 2, maxLength: 30 }), (days, numbers) => {
        const day = addDays(runDate, days);
        const ids = numbers.map((n) => paymentIdOf(day, specimenAccount(n).iban));
        for (const id of ids) expect(id).toMatch(/^RP\d{8}-[0-9A-Z]{13}$/);
        expect(new Set(ids).size).toBe(ids.length);
        expect(paymentIdOf(day, specimenAccount(numbers[0] ?? 1).iban)).toBe(ids[0]);
      }),
    );
  });

  it('give back the day they name, and nothing for a text that is no payment id', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3_650, max: 3_650 }), fc.integer({ min: 1, max: 99_999_999 }), (days, n) => {
        const day = addDays(runDate, days);
        expect(runDateOfPaymentId(paymentIdOf(day, specimenAccount(n).iban))).toBe(day);
      }),
    );
    for (const text of ['VIR-TEST-1', `RP${compactDay}`, `RM${compactDay}-001`, `rp${compactDay}-4HX0M2Q7KD9SA`]) expect(runDateOfPaymentId(text), text).toBeUndefined();
  });

  it('write the remittance as REMPART, the reference, the invoices and the recoveries netted', () => {
    const id = paymentIdOf(runDate, specimenAccount(1).iban);
    expect(remittanceOf(id, 12, 0)).toBe(`REMPART ${id} 12 FACT`);
    expect(remittanceOf(id, 1, 2)).toBe(`REMPART ${id} 1 FACT 2 INDU`);
    expect(remittanceOf(id, 999_999, 999_999).length).toBeLessThanOrEqual(140);
  });

  it('name a day’s files RM, the day and their number', () => {
    expect(messageIdOf(runDate)).toBe(`RM${compactDay}-001`);
    expect(messageIdOf(runDate, 12)).toBe(`RM${compactDay}-012`);
  });
});
