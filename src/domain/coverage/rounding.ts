/**
 * The one rounding rule: a rate in basis points applies to a line total and is rounded
 * half-up to the cent, once. BigInt keeps 999 999 bp × 10¹² cents exact.
 */
export function applyRate(amountCents: number, rateBp: number): number {
  return Number((BigInt(amountCents) * BigInt(rateBp) + 5_000n) / 10_000n);
}
