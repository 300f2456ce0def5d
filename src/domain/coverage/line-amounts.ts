import type { InvoiceLine } from './calculation-types.js';
import { applyRate } from './rounding.js';

/** What the AMO sees of a line, in line totals (cents). */
export interface LineAmounts {
  readonly priceCents: number;
  /** The base actually reimbursed: the tariff, or the price when lower (the AMO never pays more than was charged). */
  readonly baseCents: number;
  readonly amoCents: number;
  readonly amoPaidCents: number;
}

export function lineAmounts(line: InvoiceLine): LineAmounts {
  const priceCents = line.unitPriceCents * line.quantity;
  const baseCents = Math.min(line.unitBaseCents * line.quantity, priceCents);
  const amoCents = applyRate(baseCents, line.amoRateBp);
  // PF and franchise come out of the AMO payment; what the AMO cannot withhold stays with the patient.
  const amoPaidCents = Math.max(0, amoCents - line.flatFeeCents - line.deductibleCents);
  return { priceCents, baseCents, amoCents, amoPaidCents };
}
