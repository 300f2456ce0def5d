import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearDuplicateOf, type EarlierInvoice, type InvoiceKey } from './duplicates.js';

const acts = fc.uniqueArray(fc.constantFrom('LC', 'C', 'HBLD', 'AMI', 'G', 'VER'), { minLength: 1, maxLength: 3 });
const key: fc.Arbitrary<InvoiceKey> = fc.record({
  siteId: fc.integer({ min: 1, max: 3 }),
  beneficiaryId: fc.integer({ min: 1, max: 3 }),
  careDate: fc.constantFrom('d1', 'd2'),
  lot: fc.constantFrom('L1', 'L2'),
  invoiceNumber: fc.constantFrom('N1', 'N2'),
  actCodes: acts,
});
const earlier: fc.Arbitrary<EarlierInvoice> = fc.record({ key, number: fc.string({ minLength: 1, maxLength: 6 }), live: fc.boolean() }).map(({ key: k, ...rest }) => ({ ...k, ...rest }));

const sameCare = (a: InvoiceKey, b: InvoiceKey): boolean => a.siteId === b.siteId && a.beneficiaryId === b.beneficiaryId && a.careDate === b.careDate;
const sameKey = (a: InvoiceKey, b: InvoiceKey): boolean => a.lot === b.lot && a.invoiceNumber === b.invoiceNumber;

describe('a near duplicate, for any invoice and any earlier ones', () => {
  it('is held only for an earlier live invoice of the same care under another key sharing an act, and names it', () => {
    fc.assert(
      fc.property(key, fc.array(earlier, { maxLength: 6 }), (candidate, others) => {
        const found = nearDuplicateOf(candidate, others);
        const matches = others.filter((o) => o.live && sameCare(o, candidate) && !sameKey(o, candidate) && o.actCodes.some((a) => candidate.actCodes.includes(a)));
        expect(found).toBe(matches[0]?.number ?? null);
      }),
    );
  });

  it('always holds the same care sent again under another number while the first stands', () => {
    fc.assert(
      fc.property(earlier, fc.string({ minLength: 1, maxLength: 8 }), (first, number) => {
        const again = { ...first, invoiceNumber: `${first.invoiceNumber}-${number}` };
        expect(nearDuplicateOf(again, [{ ...first, live: true }])).toBe(first.number);
      }),
    );
  });

  it('never holds an invoice whose earlier ones are rejected or cancelled, nor its own resend', () => {
    fc.assert(
      fc.property(key, fc.array(earlier, { maxLength: 6 }), (candidate, others) => {
        expect(nearDuplicateOf(candidate, others.map((o) => ({ ...o, live: false })))).toBeNull();
        expect(nearDuplicateOf(candidate, others.map((o) => ({ ...o, lot: candidate.lot, invoiceNumber: candidate.invoiceNumber })))).toBeNull();
      }),
    );
  });

  it('does not depend on the other invoices around the one it names', () => {
    fc.assert(
      fc.property(key, fc.array(earlier, { maxLength: 4 }), fc.array(earlier, { maxLength: 4 }), (candidate, before, after) => {
        const first = nearDuplicateOf(candidate, before);
        if (first !== null) expect(nearDuplicateOf(candidate, [...before, ...after])).toBe(first);
      }),
    );
  });
});
