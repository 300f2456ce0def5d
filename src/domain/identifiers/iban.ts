import { electronicFormatIBAN, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import type { ErrorCode } from '../errors/codes.js';
import { removeSpaces } from './normalise.js';
import { failure, success } from './result.js';
import type { Brand, Parsed } from './result.js';

/** An IBAN in electronic format: uppercase, no spaces. Professionals are paid to it. */
export type Iban = Brand<string, 'Iban'>;

/** ibantools may report several errors; the first one in this order is the most useful to read. */
const ERRORS: readonly (readonly [ValidationErrorsIBAN, ErrorCode, string])[] = [
  [ValidationErrorsIBAN.NoIBANProvided, 'IDENTIFIER_EMPTY', "L'IBAN est vide."],
  [ValidationErrorsIBAN.NoIBANCountry, 'IBAN_COUNTRY', "L'IBAN ne commence pas par le code d'un pays qui utilise l'IBAN."],
  [ValidationErrorsIBAN.WrongBBANLength, 'IDENTIFIER_LENGTH', "L'IBAN n'a pas la longueur prévue pour son pays."],
  [ValidationErrorsIBAN.WrongBBANFormat, 'IDENTIFIER_CHARACTERS', "Le numéro de compte n'a pas le format prévu pour son pays."],
  [ValidationErrorsIBAN.ChecksumNotNumber, 'IDENTIFIER_CHARACTERS', "La clé de l'IBAN (3e et 4e caractères) doit être numérique."],
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum, 'IDENTIFIER_KEY', 'La clé nationale du compte (clé RIB en France) est incorrecte.'],
  [ValidationErrorsIBAN.WrongIBANChecksum, 'IDENTIFIER_KEY', "La clé de l'IBAN est incorrecte."],
];

/** Only reachable if a new ibantools version reports an error this table does not know yet. */
const UNKNOWN_ERROR = [undefined, 'IDENTIFIER_KEY', "L'IBAN est invalide."] as const;

export function parseIban(input: string): Parsed<Iban> {
  // electronicFormatIBAN removes spaces and dashes only; tabs or line breaks from a paste go too.
  const iban = electronicFormatIBAN(removeSpaces(input)) ?? '';
  if (iban !== '' && !/^[A-Z0-9]+$/.test(iban)) {
    return failure('iban', 'IDENTIFIER_CHARACTERS', "L'IBAN ne contient que des lettres sans accent et des chiffres.");
  }
  const { valid, errorCodes } = validateIBAN(iban);
  if (valid) return success(iban as Iban);
  const [, code, reason] = ERRORS.find(([ibantoolsError]) => errorCodes.includes(ibantoolsError)) ?? UNKNOWN_ERROR;
  return failure('iban', code, reason);
}
