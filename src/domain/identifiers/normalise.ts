import { failure, success } from './result.js';
import type { IdentifierKind, Parsed } from './result.js';

/** People copy identifiers from cards and letters where they are printed in groups. */
export function removeSpaces(input: string): string {
  return input.replace(/\s+/g, '');
}

export interface DigitsSpec {
  readonly identifier: IdentifierKind;
  /** Name of the identifier inside a French sentence, e.g. "Le numéro RPPS". */
  readonly label: string;
  readonly minLength: number;
  readonly maxLength: number;
}

/** The checks shared by every all-digit identifier: present, digits only, right length. */
export function parseDigits(input: string, spec: DigitsSpec): Parsed<string> {
  const digits = removeSpaces(input);
  if (digits === '') return failure(spec.identifier, 'IDENTIFIER_EMPTY', `${spec.label} est vide.`);
  if (!/^\d+$/.test(digits)) {
    return failure(spec.identifier, 'IDENTIFIER_CHARACTERS', `${spec.label} ne doit contenir que des chiffres.`);
  }
  if (digits.length < spec.minLength || digits.length > spec.maxLength) {
    return failure(spec.identifier, 'IDENTIFIER_LENGTH', `${spec.label} doit compter ${expectedLength(spec)} (${digits.length} reçus).`);
  }
  return success(digits);
}

function expectedLength(spec: DigitsSpec): string {
  return spec.minLength === spec.maxLength
    ? `${spec.minLength} chiffres`
    : `de ${spec.minLength} à ${spec.maxLength} chiffres`;
}
