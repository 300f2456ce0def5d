import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import type { PayableInvoice, PaymentPlan, Recovery } from './model.js';
import { cents } from '../money.js';
import { oldestFirst } from './netting.js';
import { planPayments } from './plan.js';
import { randomRun, type RandomRun } from './test-support/runs.js';

const runDate = today();
const total = (amounts: readonly number[]): number => amounts.reduce((sum, amount) => sum + amount, 0);
const plan = (run: RandomRun): PaymentPlan => planPayments(runDate, run.payables, run.recoveries, run.accountOf);
const numbers = (invoices: readonly PayableInvoice[]): string[] => invoices.map((i) => i.number).sort();
const ids = (recoveries: readonly Recovery[]): string[] => recoveries.map((r) => r.id).sort();

describe('a run day’s payments, for any invoices and recoveries', () => {
  it('conserve every cent: transfers = invoices paid − recoveries netted = the insurers’ funding', () => {
    fc.assert(
      fc.property(randomRun(runDate), (run) => {
        const { transfers, funding } = plan(run);
        const paid = total(transfers.flatMap((t) => t.invoices.map((i) => i.paidCents)));
        const netted = total(transfers.flatMap((t) => t.recoveries.map((r) => r.amountCents)));
        expect(total(transfers.map((t) => t.amountCents))).toBe(paid - netted);
        expect(total(funding.map((f) => f.fundingCents))).toBe(paid - netted);
        for (const t of transfers) expect(t.amountCents).toBe(t.invoicedCents - t.recoveredCents);
        for (const f of funding) {
          const own = transfers.flatMap((t) => t.invoices).filter((i) => i.insurerId === f.insurerId);
          const recovered = transfers.flatMap((t) => t.recoveries).filter((r) => r.insurerId === f.insurerId);
          expect(f.fundingCents).toBe(total(own.map((i) => i.paidCents)) - total(recovered.map((r) => r.amountCents)));
        }
      }),
    );
  });

  it('put each invoice in exactly one transfer or one withheld entry, and each recovery netted once or left', () => {
    fc.assert(
      fc.property(randomRun(runDate), (run) => {
        const { transfers, withheld, recoveriesLeft } = plan(run);
        expect(numbers([...transfers.flatMap((t) => t.invoices), ...withheld.flatMap((w) => w.invoices)])).toEqual(numbers(run.payables));
        expect(ids([...transfers.flatMap((t) => t.recoveries), ...recoveriesLeft])).toEqual(ids(run.recoveries));
      }),
    );
  });

  it('make one transfer per payee account, above zero, paying only its sites and netting only their recoveries', () => {
    fc.assert(
      fc.property(randomRun(runDate), (run) => {
        const { transfers } = plan(run);
        expect(new Set(transfers.map((t) => t.account.iban)).size).toBe(transfers.length);
        expect(new Set(transfers.map((t) => t.paymentId)).size).toBe(transfers.length);
        for (const t of transfers) {
          expect(t.amountCents).toBeGreaterThan(0);
          for (const x of [...t.invoices, ...t.recoveries]) expect(run.accountOf(x.siteId)?.iban).toBe(t.account.iban);
        }
      }),
    );
  });

  it('net a payee’s recoveries oldest first: none left behind is older than one netted', () => {
    fc.assert(
      fc.property(randomRun(runDate), (run) => {
        const { transfers, recoveriesLeft } = plan(run);
        for (const t of transfers) {
          const youngestNetted = t.recoveries.at(-1);
          const leftBehind = recoveriesLeft.filter((r) => run.accountOf(r.siteId)?.iban === t.account.iban);
          for (const left of leftBehind) if (youngestNetted) expect(oldestFirst(youngestNetted, left)).toBeLessThan(0);
        }
      }),
    );
  });

  it('are the same whatever the order the invoices and recoveries come in', () => {
    const shuffled = randomRun(runDate).chain((run) =>
      fc.tuple(fc.constant(run), fc.shuffledSubarray(run.payables, { minLength: run.payables.length }), fc.shuffledSubarray(run.recoveries, { minLength: run.recoveries.length })),
    );
    fc.assert(
      fc.property(shuffled, ([run, payables, recoveries]) => {
        expect(planPayments(runDate, payables, recoveries, run.accountOf)).toEqual(plan(run));
      }),
    );
  });

  it('are the same planned on sums per insurer and site as invoice by invoice (how a run plans, memory flat): amounts, references, remittances, funding, what waits', () => {
    fc.assert(
      fc.property(randomRun(runDate), (run) => {
        const sums = new Map<string, PayableInvoice>();
        for (const i of run.payables) {
          const key = `${i.insurerId}/${i.siteId}`;
          const found = sums.get(key);
          sums.set(key, found
            ? { ...found, paidCents: cents(found.paidCents + i.paidCents), invoiceCount: (found.invoiceCount ?? 1) + 1, decidedOn: found.decidedOn > i.decidedOn ? found.decidedOn : i.decidedOn }
            : { ...i, number: key, invoiceCount: 1 });
        }
        const summed = planPayments(runDate, [...sums.values()], run.recoveries, run.accountOf);
        const one = plan(run);
        const shape = (p: PaymentPlan): unknown => ({
          transfers: p.transfers.map((t) => [t.paymentId, t.amountCents, t.remittance, t.recoveries.map((r) => r.id)]),
          funding: p.funding,
          withheld: p.withheld.map((w) => [w.reason, total(w.invoices.map((i) => i.paidCents))]),
          left: ids(p.recoveriesLeft),
        });
        expect(shape(summed)).toEqual(shape(one));
      }),
    );
  });
});
