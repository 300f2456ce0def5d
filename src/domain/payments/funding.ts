import { cents } from '../money.js';
import type { InsurerFunding, Transfer } from './model.js';
import { countOf } from './plan-input.js';

interface Tally {
  invoiceCount: number;
  invoicedCents: number;
  recoveryCount: number;
  recoveredCents: number;
}

/**
 * Each insurer funds its own invoices and is credited its own recoveries, whichever
 * transfer carried them (model.ts, InsurerFunding): the funding of all insurers adds up to
 * the day's transfers, and no insurer pays for another's cancellation.
 */
export function fundingOf(transfers: readonly Transfer[]): InsurerFunding[] {
  const tallies = new Map<number, Tally>();
  const tally = (insurerId: number): Tally => {
    const found = tallies.get(insurerId) ?? { invoiceCount: 0, invoicedCents: 0, recoveryCount: 0, recoveredCents: 0 };
    tallies.set(insurerId, found);
    return found;
  };
  for (const transfer of transfers) {
    for (const invoice of transfer.invoices) {
      const t = tally(invoice.insurerId);
      t.invoiceCount += countOf(invoice);
      t.invoicedCents += invoice.paidCents;
    }
    for (const recovery of transfer.recoveries) {
      const t = tally(recovery.insurerId);
      t.recoveryCount += 1;
      t.recoveredCents += recovery.amountCents;
    }
  }
  return [...tallies.entries()]
    .sort(([a], [b]) => a - b)
    .map(([insurerId, t]) => ({
      insurerId,
      invoiceCount: t.invoiceCount,
      invoicedCents: cents(t.invoicedCents),
      recoveryCount: t.recoveryCount,
      recoveredCents: cents(t.recoveredCents),
      fundingCents: cents(t.invoicedCents - t.recoveredCents),
    }));
}
