import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { cents } from '../money.js';
import { reconcileEntries, type BankEntry, type KnownPayment, type PaymentStatus } from './reconcile.js';

const DAY = today();
const ids = ['RP-A', 'RP-B', 'RP-C', 'RP-D', 'RP-UNKNOWN'];

const payments: fc.Arbitrary<Map<string, KnownPayment>> = fc
  .tuple(...ids.slice(0, 4).map(() => fc.record({
    amountCents: fc.integer({ min: 1, max: 5_000 }).map(cents),
    status: fc.constantFrom<PaymentStatus>('instructed', 'settled', 'returned'),
    recoveredCents: fc.constantFrom(0, 0, 300).map(cents),
  })))
  .map((known) => new Map(known.map((p, i) => [ids[i] ?? '', p])));

const entryOf = (known: Map<string, KnownPayment>): fc.Arbitrary<BankEntry> =>
  fc.record({
    endToEndId: fc.option(fc.constantFrom(...ids), { nil: undefined }),
    exact: fc.boolean(),
    direction: fc.constantFrom<BankEntry['direction']>('DBIT', 'CRDT'),
    booked: fc.boolean(),
    returnReason: fc.option(fc.constantFrom('AC04', 'MD07', 'bad'), { nil: undefined }),
  }).map(({ endToEndId, exact, booked, ...rest }) => ({
    ...rest,
    entry: endToEndId ?? 'sans référence',
    endToEndId,
    amountCents: cents((endToEndId === undefined ? 0 : known.get(endToEndId)?.amountCents ?? 0) + (exact ? 0 : 1)),
    bookedOn: booked ? DAY : undefined,
  }));

const statement = payments.chain((known) => fc.tuple(fc.constant(known), fc.array(entryOf(known), { maxLength: 20 })));

describe('reconciling a bank file against the transfers', () => {
  it('accounts for every entry once: applied, already known, or an exception', () => {
    fc.assert(fc.property(statement, ([known, entries]) => {
      const result = reconcileEntries(entries, known);
      const apart = result.exceptions.filter((e) => e.kind !== 'RETURN_WITH_RECOVERIES').length;
      expect(result.settled.length + result.returned.length + result.known + apart).toBe(entries.length);
    }));
  });

  it('moves a transfer at most once, only from instructed, only by a booked entry of its exact amount', () => {
    fc.assert(fc.property(statement, ([known, entries]) => {
      const result = reconcileEntries(entries, known);
      const moved = [...result.settled, ...result.returned].map((m) => m.payment);
      expect(new Set(moved).size).toBe(moved.length);
      for (const id of moved) expect(known.get(id)?.status).toBe('instructed');
      for (const r of result.returned) expect(r.reason).toMatch(/^[A-Z0-9]{4}$/);
      for (const m of [...result.settled, ...result.returned]) {
        expect(entries.some((e) => e.endToEndId === m.payment && e.bookedOn !== undefined && e.amountCents === known.get(m.payment)?.amountCents)).toBe(true);
      }
    }));
  });

  it('settles every transfer of a clean day’s debits, and tells the operator when a returned one had netted recoveries', () => {
    const known = new Map<string, KnownPayment>([
      ['RP-A', { amountCents: cents(1_000), status: 'instructed', recoveredCents: cents(0) }],
      ['RP-B', { amountCents: cents(2_000), status: 'instructed', recoveredCents: cents(500) }],
    ]);
    const booked = (endToEndId: string, amount: number, returnReason?: string): BankEntry => ({
      entry: endToEndId, endToEndId, amountCents: cents(amount), direction: returnReason ? 'CRDT' : 'DBIT', bookedOn: DAY, returnReason,
    });
    const result = reconcileEntries([booked('RP-A', 1_000), booked('RP-B', 2_000, 'AC04'), booked('RP-A', 1_000)], known);
    expect(result).toMatchObject({ settled: [{ payment: 'RP-A', bookedOn: DAY }], returned: [{ payment: 'RP-B', reason: 'AC04' }], known: 1 });
    expect(result.exceptions.map((e) => e.kind)).toEqual(['RETURN_WITH_RECOVERIES']);
  });
});
