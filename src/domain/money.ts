import type { Brand, Result } from './identifiers/result.js';

/** Money is integer cents, always: no float ever holds an amount. */
export type Cents = Brand<number, 'Cents'>;

export function cents(value: number): Cents {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Montant non entier en centimes : ${value}`);
  return value as Cents;
}

/**
 * Parses an amount in euros as people write it in France or in files: `150`, `150.5`,
 * `150,50`, `1 500,00` (spaces as thousands separators), at most two decimals.
 */
export function parseEuros(input: string): Result<Cents, { code: 'FIELD_INVALID'; reason: string }> {
  const compact = input.replace(/[\s\u00a0\u202f]/g, '');
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) {
    return { ok: false, error: { code: 'FIELD_INVALID', reason: `« ${input} » n'est pas un montant en euros (au plus deux décimales).` } };
  }
  const euros = Number(match[1]);
  const decimals = (match[2] ?? '').padEnd(2, '0');
  return { ok: true, value: cents(euros * 100 + Number(decimals)) };
}

/** Formats cents as French euros for people: 1500050 → "15 000,50 €". */
export function formatEuros(amount: Cents): string {
  const sign = amount < 0 ? '-' : '';
  const absolute = Math.abs(amount);
  const euros = Math.floor(absolute / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  const rest = (absolute % 100).toString().padStart(2, '0');
  return `${sign}${euros},${rest} €`;
}
