import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays } from '../../domain/dates.js';
import type { Iban } from '../../domain/identifiers/iban.js';
import { cents } from '../../domain/money.js';
import { messageIdOf, planPayments, type BankAccount, type Bic, type CreditTransfer } from '../../domain/payments/index.js';
import { refusedWith } from '../../domain/payments/test-support/refused.js';
import { payable, recovery, specimenAccount } from '../../domain/payments/test-support/runs.js';
import { pain001, type Pain001Options } from './pain001.js';
import { PAIN001_VERSIONS, validatePain001 } from './schema.js';
import { platformAccount } from './test-support/platform.js';

const runDate = today();
const accounts = new Map<number, BankAccount>([
  [1, specimenAccount(11, 'Pharmacie de l’Étoile & Fils')],
  [2, specimenAccount(12, 'Optique Cœur de Lyon — Opticiens')],
  [3, specimenAccount(11, 'Pharmacie de l’Étoile & Fils')],
  [4, specimenAccount(13, 'Centre dentaire Saint-Éloi', 'BNPARERX')],
]);

/** A day of four sites (two of one owner, one account), three insurers, a recovery netted. */
function realisticPlan(): ReturnType<typeof planPayments> {
  const invoices = [
    payable(runDate, { insurerId: 1, siteId: 1, paidCents: 1_234, index: 1 }),
    payable(runDate, { insurerId: 2, siteId: 1, paidCents: 9_999, index: 2, daysAgo: 2 }),
    payable(runDate, { insurerId: 3, siteId: 3, paidCents: 10, index: 3 }),
    payable(runDate, { insurerId: 2, siteId: 2, paidCents: 42_000, index: 4 }),
    payable(runDate, { insurerId: 1, siteId: 4, paidCents: 150_000, index: 5 }),
  ];
  const recoveries = [recovery(runDate, { id: 'R1', insurerId: 3, siteId: 1, amountCents: 2_500, daysAgo: 12 })];
  return planPayments(runDate, invoices, recoveries, (siteId) => accounts.get(siteId));
}

const options = (version: Pain001Options['version']): Pain001Options => ({ version, executionDate: addDays(runDate, 1), messageId: messageIdOf(runDate), createdAt: new Date(`${runDate}T06:00:00`) });

describe('pain001', () => {
  it.each(PAIN001_VERSIONS)('writes a day’s transfers as a %s file that validates against its XSD', (version) => {
    const { transfers } = realisticPlan();
    const xml = pain001(transfers, platformAccount, options(version));

    expect(validatePain001(xml, version)).toEqual([]);
    expect(xml).toContain(`xmlns="urn:iso:std:iso:20022:tech:xsd:${version}"`);
    expect(xml).toContain(`<MsgId>${messageIdOf(runDate)}</MsgId>`);
    expect(xml).toContain('<BtchBookg>true</BtchBookg>');
    // 1,234 + 9,999 + 10 − 2,500 for the pharmacies' account, 42,000, 150,000.
    expect(xml.match(/<NbOfTxs>3<\/NbOfTxs>/g)).toHaveLength(2);
    expect(xml.match(/<CtrlSum>2007\.43<\/CtrlSum>/g)).toHaveLength(2);
    expect(xml).toContain('<InstdAmt Ccy="EUR">87.43</InstdAmt>');
    expect(xml).toContain(`<ReqdExctnDt>${version === 'pain.001.001.09' ? `<Dt>${addDays(runDate, 1)}</Dt>` : addDays(runDate, 1)}</ReqdExctnDt>`);
    for (const t of transfers) expect(xml).toContain(`<EndToEndId>${t.paymentId}</EndToEndId>`);
    expect(xml).toContain(`<Ustrd>REMPART ${transfers[0]?.paymentId} 3 FACT 1 INDU</Ustrd>`);
  });

  it('writes names in SEPA’s Latin characters', () => {
    const xml = pain001(realisticPlan().transfers, platformAccount, options('pain.001.001.09'));
    expect(xml).toContain('<Nm>Pharmacie de l&apos;Etoile Fils</Nm>');
    expect(xml).toContain('<Nm>Optique Coeur de Lyon - Opticiens</Nm>');
    expect(xml).toContain('<Nm>Rempart Operateur de tiers payant</Nm>');
    expect(xml).not.toMatch(/[^\x20-\x7e\r\n]/);
  });

  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago'])('asks for the execution day given, with the process in %s', (zone) => {
    const before = process.env.TZ;
    process.env.TZ = zone;
    try {
      const xml = pain001(realisticPlan().transfers, platformAccount, options('pain.001.001.03'));
      expect(xml).toContain(`<ReqdExctnDt>${addDays(runDate, 1)}</ReqdExctnDt>`);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('writes the same file when the run is made again', () => {
    expect(pain001(realisticPlan().transfers, platformAccount, options('pain.001.001.09'))).toBe(pain001(realisticPlan().transfers, platformAccount, options('pain.001.001.09')));
  });

  const [good] = realisticPlan().transfers;
  const transfer = (change: Partial<CreditTransfer>): CreditTransfer[] => (good ? [{ ...good, ...change }] : []);
  it.each([
    ['an empty run', [], platformAccount, 'SEPA_FILE_EMPTY'],
    ['a transfer of zero', transfer({ amountCents: cents(0) }), platformAccount, 'PAYMENT_AMOUNT_INVALID'],
    ['a negative transfer', transfer({ amountCents: cents(-100) }), platformAccount, 'PAYMENT_AMOUNT_INVALID'],
    ['fractional cents', transfer({ amountCents: 10.5 as CreditTransfer['amountCents'] }), platformAccount, 'PAYMENT_AMOUNT_INVALID'],
    ['more than SEPA allows in one transfer', transfer({ amountCents: cents(100_000_000_000) }), platformAccount, 'PAYMENT_AMOUNT_INVALID'],
    ['a payee IBAN with a bad key', transfer({ account: { ...platformAccount, iban: 'FR7630006000011234567890188' as Iban } }), platformAccount, 'IDENTIFIER_KEY'],
    ['a payee BIC of another country', transfer({ account: { ...specimenAccount(5), bic: 'COBADEFF' as Bic } }), platformAccount, 'BIC_COUNTRY_MISMATCH'],
    ['a payee holder with no SEPA character', transfer({ account: { ...specimenAccount(6), holder: '« € »' } }), platformAccount, 'BANK_HOLDER_INVALID'],
    ['a debtor IBAN with a bad key', transfer({}), { ...platformAccount, iban: 'FR7630006000011234567890188' as Iban }, 'IDENTIFIER_KEY'],
    ['a payment id outside [A-Z0-9-]', transfer({ paymentId: 'rp/1' as CreditTransfer['paymentId'] }), platformAccount, 'SEPA_FIELD_INVALID'],
    ['a payment id twice', [...transfer({}), ...transfer({})], platformAccount, 'PAYMENT_DUPLICATE'],
    ['a remittance longer than 140 characters', transfer({ remittance: 'X'.repeat(141) }), platformAccount, 'SEPA_FIELD_INVALID'],
  ] as const)('refuses %s before writing anything', (_what, transfers, debtor, code) => {
    expect(() => pain001(transfers, debtor, options('pain.001.001.09'))).toThrow(refusedWith(code));
  });

  it('refuses a MsgId too long for the ids sepa derives from it', () => {
    expect(() => pain001(transfer({}), platformAccount, { ...options('pain.001.001.03'), messageId: 'RM-'.padEnd(21, '0') })).toThrow(refusedWith('SEPA_FIELD_INVALID'));
  });
});

describe('validatePain001', () => {
  it('names what is wrong: another version’s file, a negative amount, something that is not XML', () => {
    const xml = pain001(realisticPlan().transfers, platformAccount, options('pain.001.001.09'));
    expect(validatePain001(xml, 'pain.001.001.03')).not.toEqual([]);
    const [error] = validatePain001(xml.replace('>87.43<', '>-87.43<'), 'pain.001.001.09');
    expect(error?.message).toMatch(/InstdAmt/);
    expect(validatePain001('<Document>', 'pain.001.001.09')).not.toEqual([]);
  });
});
