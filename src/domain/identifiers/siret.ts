import { isLuhnValid } from './luhn.js';
import { parseDigits } from './normalise.js';
import { failure, success } from './result.js';
import type { Brand, Parsed } from './result.js';

/** SIRET: the 14-digit number of an establishment, its company's SIREN then a 5-digit NIC. */
export type Siret = Brand<string, 'Siret'>;

/**
 * La Poste registered more establishments under SIREN 356 000 000 than Luhn keys allow, so
 * INSEE checks them differently: the sum of the 14 digits is a multiple of 5. Only the head
 * office keeps a Luhn-valid SIRET.
 */
export const LA_POSTE_SIREN = '356000000';
const LA_POSTE_HEAD_OFFICE = '35600000000048';

export function parseSiret(input: string): Parsed<Siret> {
  const digits = parseDigits(input, { identifier: 'siret', label: 'Le numéro SIRET', minLength: 14, maxLength: 14 });
  if (!digits.ok) return digits;
  const siret = digits.value;
  if (!isLuhnValid(siret.slice(0, 9))) {
    return failure('siret', 'IDENTIFIER_KEY', 'Les 9 premiers chiffres ne forment pas un numéro SIREN valide (clé de Luhn).');
  }
  if (!hasValidKey(siret)) return failure('siret', 'IDENTIFIER_KEY', 'Le dernier chiffre (clé) du numéro SIRET est incorrect.');
  return success(siret as Siret);
}

function hasValidKey(siret: string): boolean {
  if (!siret.startsWith(LA_POSTE_SIREN)) return isLuhnValid(siret);
  return siret === LA_POSTE_HEAD_OFFICE || digitSum(siret) % 5 === 0;
}

export function digitSum(digits: string): number {
  let sum = 0;
  for (const digit of digits) sum += Number(digit);
  return sum;
}
