import { parseDigits } from './normalise.js';
import { success } from './result.js';
import type { Brand, Parsed } from './result.js';

/** Numéro AMC: the insurer's number on the tiers-payant card, 8 to 10 digits, no key. */
export type AmcNumber = Brand<string, 'AmcNumber'>;

export function parseAmcNumber(input: string): Parsed<AmcNumber> {
  const digits = parseDigits(input, { identifier: 'amcNumber', label: 'Le numéro AMC', minLength: 8, maxLength: 10 });
  return digits.ok ? success(digits.value as AmcNumber) : digits;
}
