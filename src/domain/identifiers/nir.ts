import { readNirPlace } from './nir-place.js';
import type { BirthPlace } from './nir-place.js';
import { removeSpaces } from './normalise.js';
import { failure, success } from './result.js';
import type { Brand, Failure, Parsed } from './result.js';

/** A NIR (or NIA) of 15 characters: 13 + a 2-digit key, uppercase, no spaces. */
export type Nir = Brand<string, 'Nir'>;

export type Sex = 'male' | 'female';

/** 'provisional': sex digit 3/4/7/8 (NIA and waiting numbers, rule unconfirmed, see DOMAIN.md). */
export type NirKind = 'registered' | 'provisional';

export type NirDescription =
  | { readonly kind: 'msaProvisional' }
  | {
      readonly kind: NirKind;
      readonly sex: Sex;
      readonly birthYear2: string;
      readonly birthMonth: string;
      readonly birthPlace: BirthPlace;
      readonly department: string;
      readonly commune: string;
      readonly order: string;
    };

/** MSA (farmers' scheme) provisional numbers follow no field rule: only their key is checked. */
const MSA_PROVISIONAL_PREFIX = '555555';

const SEX_DIGITS: Readonly<Record<string, { readonly sex: Sex; readonly kind: NirKind }>> = {
  '1': { sex: 'male', kind: 'registered' },
  '2': { sex: 'female', kind: 'registered' },
  '3': { sex: 'male', kind: 'provisional' },
  '4': { sex: 'female', kind: 'provisional' },
  '7': { sex: 'male', kind: 'provisional' },
  '8': { sex: 'female', kind: 'provisional' },
};

/** Month codes used when the birth month is unknown (20, 30 to 42; unconfirmed, see DOMAIN.md). */
export const UNKNOWN_BIRTH_MONTH_CODES: readonly string[] = ['20', ...Array.from({ length: 13 }, (_, i) => String(30 + i))];

/** The key is computed as if Corsica were still numbered: 2A counts as 19, 2B as 18. */
const CORSICA_KEY_DIGITS: Readonly<Record<string, string>> = { '2A': '19', '2B': '18' };

/** Parses a NIR typed with or without spaces. */
export function parseNir(input: string): Parsed<Nir> {
  const nir = removeSpaces(input).toUpperCase();
  const shape = checkShape(nir);
  if (shape) return shape;
  const fields = readNirFields(nir);
  if (!fields.ok) return fields;
  const expected = nirKey(nir.slice(0, 13));
  if (nir.slice(13) !== expected) {
    return failure('nir', 'IDENTIFIER_KEY', `La clé ne correspond pas aux 13 premiers caractères (clé attendue : ${expected}).`);
  }
  return success(nir as Nir);
}

/** The 2-digit key of the first 13 characters of a NIR: 97 − (NIR₁₃ mod 97). */
export function nirKey(first13: string): string {
  const department = first13.slice(5, 7);
  const digits = first13.slice(0, 5) + (CORSICA_KEY_DIGITS[department] ?? department) + first13.slice(7);
  if (!/^\d{13}$/.test(digits)) throw new RangeError('nirKey expects the 13 first characters of a NIR');
  // Digit by digit, so the 13-digit number never leaves the safe integer range.
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(97 - remainder).padStart(2, '0');
}

/** What a NIR says about its holder, for the people reading a verdict. */
export function describeNir(nir: Nir): NirDescription {
  const fields = readNirFields(nir);
  if (!fields.ok) throw new Error('A parsed Nir always has valid fields');
  return fields.value;
}

function checkShape(nir: string): Failure | undefined {
  if (nir === '') return failure('nir', 'IDENTIFIER_EMPTY', 'Le NIR est vide.');
  if (!/^[0-9AB]+$/.test(nir)) {
    return failure('nir', 'IDENTIFIER_CHARACTERS', 'Le NIR ne contient que des chiffres, et A ou B pour la Corse (2A, 2B).');
  }
  if (nir.length !== 15) {
    return failure('nir', 'IDENTIFIER_LENGTH', `Le NIR doit compter 15 caractères, clé comprise (${nir.length} reçus).`);
  }
  if (!/^\d{5}(?:\d{2}|2[AB])\d{8}$/.test(nir)) {
    return failure('nir', 'IDENTIFIER_CHARACTERS', 'Les lettres A et B ne sont admises que dans le département de naissance 2A ou 2B.');
  }
  return undefined;
}

function readNirFields(nir: string): Parsed<NirDescription> {
  if (nir.startsWith(MSA_PROVISIONAL_PREFIX)) return success({ kind: 'msaProvisional' });
  const sexDigit = SEX_DIGITS[nir.charAt(0)];
  if (!sexDigit) return failure('nir', 'NIR_SEX', 'Le premier chiffre (sexe) doit être 1, 2, 3, 4, 7 ou 8.');
  const birthMonth = nir.slice(3, 5);
  if (!isNirMonth(birthMonth)) {
    return failure('nir', 'NIR_MONTH', `Le mois de naissance ${birthMonth} n'existe pas (01 à 12, ou 20, 30 à 42 si inconnu).`);
  }
  const place = readNirPlace(nir);
  if (!place.ok) return place;
  const order = nir.slice(10, 13);
  if (order === '000') return failure('nir', 'NIR_ORDER', "Le numéro d'ordre ne peut pas être 000.");
  return success({ ...sexDigit, birthYear2: nir.slice(1, 3), birthMonth, ...place.value, order });
}

const unknownMonths = new Set(UNKNOWN_BIRTH_MONTH_CODES);

function isNirMonth(code: string): boolean {
  const month = Number(code);
  return (month >= 1 && month <= 12) || unknownMonths.has(code);
}
