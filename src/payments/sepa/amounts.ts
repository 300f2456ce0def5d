/** 12345 cents → "123.45", the decimal a SEPA file writes, by integer arithmetic (a positive amount). */
export function decimalOfCents(amount: number): string {
  return `${Math.trunc(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

/**
 * The euros `sepa` takes, as a JS number. Exact for one amount: k / 100 is the double
 * nearest to the decimal, which toFixed(2) prints back exactly. Not for its sums (CtrlSum
 * adds doubles), so the written file is checked against the cents (totals.ts).
 */
export function eurosOfCents(amount: number): number {
  return amount / 100;
}
