import { failure, success } from './result.js';
import type { Brand, Parsed } from './result.js';

/** Numéro d'adhérent: chosen by each insurer, so only its alphabet and length are known. */
export type MemberNumber = Brand<string, 'MemberNumber'>;

const MAX_LENGTH = 30;

export function parseMemberNumber(input: string): Parsed<MemberNumber> {
  const member = input.trim().toUpperCase();
  if (member === '') return failure('memberNumber', 'IDENTIFIER_EMPTY', "Le numéro d'adhérent est vide.");
  if (member.length > MAX_LENGTH) {
    return failure('memberNumber', 'IDENTIFIER_LENGTH', `Le numéro d'adhérent compte au plus ${MAX_LENGTH} caractères (${member.length} reçus).`);
  }
  if (!/^[A-Z0-9./-]+$/.test(member)) {
    return failure('memberNumber', 'IDENTIFIER_CHARACTERS', "Le numéro d'adhérent ne contient que des lettres sans accent, des chiffres et les signes - / .");
  }
  return success(member as MemberNumber);
}
