import { isLuhnValid } from './luhn.js';
import { parseDigits } from './normalise.js';
import { failure, success } from './result.js';
import type { Brand, Parsed } from './result.js';

/** SIREN: the 9-digit number of a legal entity, last digit a Luhn key. */
export type Siren = Brand<string, 'Siren'>;

export function parseSiren(input: string): Parsed<Siren> {
  const digits = parseDigits(input, { identifier: 'siren', label: 'Le numéro SIREN', minLength: 9, maxLength: 9 });
  if (!digits.ok) return digits;
  if (!isLuhnValid(digits.value)) return failure('siren', 'IDENTIFIER_KEY', 'Le dernier chiffre (clé de Luhn) du numéro SIREN est incorrect.');
  return success(digits.value as Siren);
}
