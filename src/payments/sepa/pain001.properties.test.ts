import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { cents } from '../../domain/money.js';
import { messageIdOf, paymentIdOf, planPayments, remittanceOf, type CreditTransfer } from '../../domain/payments/index.js';
import { refusedWith } from '../../domain/payments/test-support/refused.js';
import { randomRun, specimenAccount } from '../../domain/payments/test-support/runs.js';
import { pain001 } from './pain001.js';
import { PAIN001_VERSIONS, validatePain001, validateThen, type SchemaError } from './schema.js';
import { platformAccount } from './test-support/platform.js';
import { checkPain001Totals } from './totals.js';

const runDate = today();
const options = { executionDate: runDate, messageId: messageIdOf(runDate), createdAt: new Date(`${runDate}T05:00:00`) };

/** Cents of a decimal written in the file, read by string arithmetic: the oracle does not share the code's conversion. */
const centsOf = (decimal: string): number => {
  const [euros = '', rest = ''] = decimal.split('.');
  return Number(euros) * 100 + Number(rest.padEnd(2, '0'));
};
function syntheticTransfer(n: number, amountCents: number): CreditTransfer {
  const account = specimenAccount(n + 1);
  const paymentId = paymentIdOf(runDate, account.iban);
  return { paymentId, account, amountCents: cents(amountCents), remittance: remittanceOf(paymentId, 1, 0) };
}
const all = (xml: string, tag: string): string[] => [...xml.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] ?? '');

describe('a pain.001 file, for any day’s invoices', () => {
  it.each(PAIN001_VERSIONS)('validates as %s, sums exactly to the cent, and pays each account once', (version) => {
    fc.assert(
      fc.property(randomRun(runDate, { maxInvoices: 60 }), (run) => {
        const { transfers } = planPayments(runDate, run.payables, run.recoveries, run.accountOf);
        fc.pre(transfers.length > 0);
        const xml = pain001(transfers, platformAccount, { ...options, version });
        expect(validatePain001(xml, version)).toEqual([]);
        const amounts = all(xml, 'InstdAmt').map(centsOf);
        expect(amounts).toEqual(transfers.map((t) => t.amountCents));
        const total = amounts.reduce((sum, amount) => sum + amount, 0);
        expect(all(xml, 'CtrlSum').map(centsOf)).toEqual([total, total]);
        expect(all(xml, 'NbOfTxs')).toEqual([String(transfers.length), String(transfers.length)]);
        const ibans = all(xml, 'IBAN').slice(1);
        expect(new Set(ibans).size).toBe(transfers.length);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every amount and sum exact where doubles do not: cents that add up wrong in floating point', () => {
    // 0.1 + 0.2 ≠ 0.3 in doubles; amounts up to SEPA's maximum stress the control sum.
    const amounts = fc.array(fc.oneof(fc.constantFrom(10, 20, 30, 1, 7, 99_999_999_999), fc.integer({ min: 1, max: 99_999_999_999 })), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(amounts, (values) => {
        const made = values.map((amountCents, n) => syntheticTransfer(n, amountCents));
        const xml = pain001(made, platformAccount, { ...options, version: 'pain.001.001.09' });
        const total = values.reduce((sum, v) => sum + v, 0);
        expect(all(xml, 'CtrlSum').map(centsOf)).toEqual([total, total]);
        expect(all(xml, 'InstdAmt').map(centsOf)).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });

  it('is refused when what was written differs from the cents', () => {
    const made = [syntheticTransfer(1, 1_000), syntheticTransfer(2, 2_000)];
    const xml = pain001(made, platformAccount, { ...options, version: 'pain.001.001.03' });
    const tampered = [xml.replace(/<CtrlSum>30\.00<\/CtrlSum>/, '<CtrlSum>30.01</CtrlSum>'), xml.replace('>10.00<', '>10.01<'), xml.replace(/<NbOfTxs>2</, '<NbOfTxs>3<')];
    const check = (file: string): SchemaError[] => validateThen(file, 'pain.001.001.03', (doc) => checkPain001Totals(doc, 'pain.001.001.03', made));
    expect(check(xml)).toEqual([]);
    for (const file of tampered) {
      expect(file).not.toBe(xml);
      expect(() => check(file)).toThrow(refusedWith('SEPA_FILE_MISMATCH'));
    }
  });
});
