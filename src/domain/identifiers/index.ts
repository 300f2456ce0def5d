/** French health identifiers: parsed once at the edge into branded types, never thrown. */
export type { Brand, Failure, IdentifierError, IdentifierKind, Parsed, Result } from './result.js';
export { parseNir, nirKey, describeNir, UNKNOWN_BIRTH_MONTH_CODES } from './nir.js';
export type { Nir, NirDescription, NirKind, Sex } from './nir.js';
export type { BirthPlace, NirPlace } from './nir-place.js';
export { parseBirthDate } from './birth-date.js';
export type { BirthDate, BirthDateError } from './birth-date.js';
export { parseRpps } from './rpps.js';
export type { Rpps } from './rpps.js';
export { parseSiren } from './siren.js';
export type { Siren } from './siren.js';
export { parseSiret } from './siret.js';
export type { Siret } from './siret.js';
export { parseFiness } from './finess.js';
export type { Finess } from './finess.js';
export { parseAmcNumber } from './amc-number.js';
export type { AmcNumber } from './amc-number.js';
export { parseMemberNumber } from './member-number.js';
export type { MemberNumber } from './member-number.js';
export { parseIban } from './iban.js';
export type { Iban } from './iban.js';
export {
  generateAmcNumber,
  generateFiness,
  generateMemberNumber,
  generateNir,
  generateRpps,
  generateSiren,
  generateSiret,
} from './generate.js';
export type { NirOptions } from './generate.js';
