import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays, type CalendarDate } from '../../domain/dates.js';
import { cents } from '../../domain/money.js';
import { pain001 } from '../sepa/pain001.js';
import { CAMT_VERSIONS } from '../sepa/schema.js';
import { platformAccount } from '../sepa/test-support/platform.js';
import { messageIdOf, paymentIdOf, remittanceOf } from '../../domain/payments/index.js';
import { specimenAccount } from '../../domain/payments/test-support/runs.js';
import { parseCamt } from './camt.js';
import { bankFileXml, type WrittenEntry } from './sample.js';

const TODAY = today();
const ID = /^[A-Z0-9]{2,35}$/;

const entry: fc.Arbitrary<WrittenEntry> = fc.record({
  endToEndId: fc.stringMatching(ID),
  amountCents: fc.integer({ min: 0, max: 99_999_999_999 }),
  direction: fc.constantFrom('DBIT' as const, 'CRDT' as const),
  bookedOn: fc.integer({ min: -400, max: 0 }).map((n): CalendarDate => addDays(TODAY, n)),
  reason: fc.option(fc.constantFrom('AC01', 'AC04', 'AC06', 'MD07', 'AM05', 'FF01'), { nil: undefined }),
}).map(({ reason, ...rest }) => (reason === undefined ? rest : { ...rest, reason }));

const file = (version: (typeof CAMT_VERSIONS)[number], entries: readonly WrittenEntry[]): string =>
  bankFileXml(version, { messageId: 'RELEVE-1', reportId: 'NOTIF-1', createdAt: new Date(`${TODAY}T18:30:00Z`), iban: platformAccount.iban, entries });

describe('a bank’s camt file, read', () => {
  it.each(CAMT_VERSIONS)('gives back every booked entry of a %s as written: reference, amount to the cent, direction, day, return reason', (version) => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (entries) => {
        const read = parseCamt(file(version, entries));
        expect(read).toMatchObject({ version, messageId: 'RELEVE-1', reports: ['NOTIF-1'], createdAt: new Date(`${TODAY}T18:30:00Z`) });
        expect(read.entries).toEqual(entries.map((e) => ({
          entry: e.endToEndId, endToEndId: e.endToEndId, amountCents: cents(e.amountCents), direction: e.direction, bookedOn: e.bookedOn, returnReason: e.reason,
        })));
      }),
      { numRuns: 40 },
    );
  });

  const one = file('camt.054.001.08', [{ endToEndId: 'RP1', amountCents: 1_250, direction: 'DBIT', bookedOn: TODAY }]);

  it('reads an amount with up to five decimals when it is whole cents, and refuses one that is not, or not in euros', () => {
    expect(parseCamt(one.replace('>12.50<', '>12.50000<')).entries[0]?.amountCents).toBe(1_250);
    expect(() => parseCamt(one.replace('>12.50<', '>12.505<'))).toThrow(expect.objectContaining({ code: 'CAMT_AMOUNT_INVALID' }));
    expect(() => parseCamt(one.replace('Ccy="EUR"', 'Ccy="USD"'))).toThrow(expect.objectContaining({ code: 'CAMT_AMOUNT_INVALID' }));
  });

  it('tells a pending entry from a booked one, and keeps an entry without details as one without reference', () => {
    const pending = parseCamt(one.replace('<Cd>BOOK</Cd>', '<Cd>PDNG</Cd>'));
    expect(pending.entries[0]?.bookedOn).toBeUndefined();
    const bare = parseCamt(one.replace(/<NtryDtls>[\s\S]*<\/NtryDtls>/, ''));
    expect(bare.entries).toEqual([{ entry: 'RP1', endToEndId: undefined, amountCents: 1_250, direction: 'DBIT', bookedOn: TODAY, returnReason: undefined }]);
  });

  it('refuses bad XML, a foreign file, another version and a file the schema refuses, each with its code', () => {
    const refused = (xml: string | Uint8Array): string => {
      try {
        parseCamt(xml);
        return 'accepted';
      } catch (error) {
        return (error as { code?: string }).code ?? String(error);
      }
    };
    const paymentId = paymentIdOf(TODAY, specimenAccount(1).iban);
    const pain = pain001([{ paymentId, account: specimenAccount(1), amountCents: cents(100), remittance: remittanceOf(paymentId, 1, 0) }], platformAccount, {
      version: 'pain.001.001.09', executionDate: TODAY, messageId: messageIdOf(TODAY), createdAt: new Date(),
    });
    expect(refused('')).toBe('CAMT_XML_INVALID');
    expect(refused('<Document><unclosed></Document>')).toBe('CAMT_XML_INVALID');
    expect(refused(pain)).toBe('CAMT_FOREIGN');
    expect(refused(one.replaceAll('camt.054.001.08', 'camt.054.001.02'))).toBe('CAMT_FOREIGN');
    expect(refused(one.replace('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">', '<Document>'))).toBe('CAMT_FOREIGN');
    expect(refused(one.replace('<CdtDbtInd>DBIT</CdtDbtInd>', ''))).toBe('CAMT_SCHEMA_INVALID');
    expect(refused(Buffer.from(one))).toBe('accepted');
    // An entity, external or not, is never fetched nor expanded: a file with a DTD is refused, not read.
    const xxe = one.replace('<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace('>RP1<', '>&x;<');
    expect(refused(xxe)).toBe('CAMT_XML_INVALID');
    expect(refused(one.replace('<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0"?><!DOCTYPE Document>'))).toBe('CAMT_XML_INVALID');
  });

  it('reads a return in any direction by its reason, and keeps an unreadable reason for the operator', () => {
    const returned = file('camt.053.001.08', [{ endToEndId: 'RP2', amountCents: 700, direction: 'CRDT', bookedOn: addDays(TODAY, -1), reason: 'AC04' }]);
    expect(parseCamt(returned).entries[0]).toMatchObject({ direction: 'CRDT', returnReason: 'AC04' });
    const proprietary = returned.replace('<Cd>AC04</Cd>', '<Prtry>compte clos</Prtry>');
    expect(parseCamt(proprietary).entries[0]?.returnReason).toBe('compte clos');
  });
});
