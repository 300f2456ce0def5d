import { isLuhnValid } from './luhn.js';
import { parseDigits } from './normalise.js';
import { failure, success } from './result.js';
import type { Brand, Parsed } from './result.js';

/** RPPS: the lifelong 11-digit number of a health professional, last digit a Luhn key. */
export type Rpps = Brand<string, 'Rpps'>;

export function parseRpps(input: string): Parsed<Rpps> {
  const digits = parseDigits(input, { identifier: 'rpps', label: 'Le numéro RPPS', minLength: 11, maxLength: 11 });
  if (!digits.ok) return digits;
  if (!isLuhnValid(digits.value)) return failure('rpps', 'IDENTIFIER_KEY', 'Le dernier chiffre (clé de Luhn) du numéro RPPS est incorrect.');
  return success(digits.value as Rpps);
}
