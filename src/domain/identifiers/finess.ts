import { CORSICA_DEPARTMENTS, METROPOLITAN_DEPARTMENTS } from './departments.js';
import { isLuhnValid } from './luhn.js';
import { removeSpaces } from './normalise.js';
import { failure, success } from './result.js';
import type { Brand, Failure, Parsed } from './result.js';

/** FINESS: 9 characters naming a health site (ET) or its legal entity (EJ). */
export type Finess = Brand<string, 'Finess'>;

/** How a FINESS may start: overseas sites use 97 or 98, the third character continuing the department. */
export const FINESS_DEPARTMENTS: readonly string[] = [...METROPOLITAN_DEPARTMENTS, ...CORSICA_DEPARTMENTS, '97', '98'];

/**
 * Key rule. Public sources say the 9th character is a Luhn key but we could not confirm
 * how Corsican numbers are keyed. Choice: Luhn over the 9 characters with 2A and 2B read
 * as 20. Consequence: swapping 2A and 2B is not caught by the key. Revisit when the
 * FINESS nomenclature (DREES/ANS) is checked.
 */
export function finessKeyDigits(finess: string): string {
  return /^2[AB]/.test(finess) ? `20${finess.slice(2)}` : finess;
}

export function parseFiness(input: string): Parsed<Finess> {
  const finess = removeSpaces(input).toUpperCase();
  const shape = checkShape(finess);
  if (shape) return shape;
  if (!FINESS_DEPARTMENTS.includes(finess.slice(0, 2))) {
    return failure('finess', 'FINESS_DEPARTMENT', `Le département ${finess.slice(0, 2)} n'existe pas dans le FINESS.`);
  }
  if (!isLuhnValid(finessKeyDigits(finess))) {
    return failure('finess', 'IDENTIFIER_KEY', 'Le dernier chiffre (clé de Luhn) du numéro FINESS est incorrect.');
  }
  return success(finess as Finess);
}

function checkShape(finess: string): Failure | undefined {
  if (finess === '') return failure('finess', 'IDENTIFIER_EMPTY', 'Le numéro FINESS est vide.');
  if (!/^[0-9AB]+$/.test(finess)) {
    return failure('finess', 'IDENTIFIER_CHARACTERS', 'Le numéro FINESS ne contient que des chiffres, et A ou B pour la Corse.');
  }
  if (finess.length !== 9) {
    return failure('finess', 'IDENTIFIER_LENGTH', `Le numéro FINESS doit compter 9 caractères (${finess.length} reçus).`);
  }
  if (!/^(?:\d{2}|2[AB])\d{7}$/.test(finess)) {
    return failure('finess', 'IDENTIFIER_CHARACTERS', 'Les lettres A et B ne sont admises que dans le département 2A ou 2B.');
  }
  return undefined;
}
