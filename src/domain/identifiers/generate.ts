import { chance, pick } from '../random.js';
import type { Rng } from '../random.js';
import { birthDateFields } from './birth-date.js';
import {
  BORN_ABROAD,
  CORSICA_DEPARTMENTS,
  FORMER_CORSICA_DEPARTMENT,
  METROPOLITAN_DEPARTMENTS,
  OVERSEAS_DEPARTMENTS,
} from './departments.js';
import type { AmcNumber } from './amc-number.js';
import { FINESS_DEPARTMENTS, finessKeyDigits } from './finess.js';
import type { Finess } from './finess.js';
import { luhnCheckDigit } from './luhn.js';
import type { MemberNumber } from './member-number.js';
import type { BirthPlace } from './nir-place.js';
import { nirKey, UNKNOWN_BIRTH_MONTH_CODES } from './nir.js';
import type { Nir, Sex } from './nir.js';
import type { Rpps } from './rpps.js';
import type { Siren } from './siren.js';
import { digitSum, LA_POSTE_SIREN } from './siret.js';
import type { Siret } from './siret.js';

/*
 * Synthetic identifiers: right-shaped and with valid keys, drawn only from the Rng so that a
 * seed replays a data set. The values are cast to their brand because the tests prove that
 * every one of them parses.
 */

export interface NirOptions {
  readonly sex: Sex;
  /** AAAA-MM-JJ, possibly lunar; the NIR's year and month follow it. */
  readonly birthDate?: string;
  /** Defaults to 'metropole'. */
  readonly place?: BirthPlace;
}

/** @throws RangeError when `birthDate` does not have the form AAAA-MM-JJ. */
export function generateNir(rng: Rng, options: NirOptions): Nir {
  const sexDigit = options.sex === 'male' ? '1' : '2';
  const { year, month } = birthYearAndMonth(rng, options.birthDate);
  const place = birthPlaceDigits(rng, options.place ?? 'metropole', year);
  const body = `${sexDigit}${pad(year % 100, 2)}${month}${place}${pad(rng.int(1, 999), 3)}`;
  return `${body}${nirKey(body)}` as Nir;
}

export function generateRpps(rng: Rng): Rpps {
  // Numbers given by the RPPS start with 10.
  return withLuhnKey(`10${randomDigits(rng, 8)}`) as Rpps;
}

export function generateSiren(rng: Rng): Siren {
  return withLuhnKey(randomDigits(rng, 8)) as Siren;
}

/** Mostly Luhn-keyed SIRETs, and now and then one of La Poste's, which follow their own rule. */
export function generateSiret(rng: Rng): Siret {
  return (chance(rng, 0.05) ? laPosteSiret(rng) : ordinarySiret(rng)) as Siret;
}

/** @throws RangeError when `department` cannot start a FINESS. */
export function generateFiness(rng: Rng, department?: string): Finess {
  if (department !== undefined && !FINESS_DEPARTMENTS.includes(department)) {
    throw new RangeError(`No FINESS starts with department ${department}`);
  }
  const payload = `${department ?? pick(rng, METROPOLITAN_DEPARTMENTS)}${randomDigits(rng, 6)}`;
  return `${payload}${luhnCheckDigit(finessKeyDigits(payload))}` as Finess;
}

export function generateAmcNumber(rng: Rng): AmcNumber {
  return randomDigits(rng, rng.int(8, 10)) as AmcNumber;
}

/** Insurers' own formats vary; this one is a short letter prefix, digits, sometimes a suffix. */
export function generateMemberNumber(rng: Rng): MemberNumber {
  const prefix = Array.from({ length: rng.int(0, 3) }, () => String.fromCharCode(rng.int(65, 90))).join('');
  const suffix = chance(rng, 0.2) ? `-${pad(rng.int(1, 99), 2)}` : '';
  return `${prefix}${randomDigits(rng, rng.int(6, 10))}${suffix}` as MemberNumber;
}

function birthYearAndMonth(rng: Rng, birthDate: string | undefined): { year: number; month: string } {
  if (birthDate === undefined) return { year: rng.int(1930, 2020), month: pad(rng.int(1, 12), 2) };
  const fields = birthDateFields(birthDate);
  if (!fields) throw new RangeError(`Invalid birth date: « ${birthDate} » is not AAAA-MM-JJ`);
  const { year, month } = fields;
  // A lunar date with month 00 (or beyond 12) has no month to copy: the NIR says "unknown".
  const nirMonth = month >= 1 && month <= 12 ? pad(month, 2) : pick(rng, UNKNOWN_BIRTH_MONTH_CODES);
  return { year, month: nirMonth };
}

/** The 5 characters of department and commune (or country). */
function birthPlaceDigits(rng: Rng, place: BirthPlace, year: number): string {
  switch (place) {
    case 'metropole':
      return `${pick(rng, METROPOLITAN_DEPARTMENTS)}${pad(rng.int(1, 999), 3)}`;
    case 'corse': {
      const department = year < 1976 ? FORMER_CORSICA_DEPARTMENT : pick(rng, CORSICA_DEPARTMENTS);
      return `${department}${pad(rng.int(1, 999), 3)}`;
    }
    case 'outremer':
      return `${pick(rng, OVERSEAS_DEPARTMENTS)}${pad(rng.int(1, 99), 2)}`;
    case 'etranger':
      // Synthetic country: INSEE country codes are 99xxx, the NIR keeps the last 3 digits.
      return `${BORN_ABROAD}${pad(rng.int(100, 990), 3)}`;
  }
}

function ordinarySiret(rng: Rng): string {
  let siren: string = generateSiren(rng);
  // La Poste's SIREN would need the other key rule.
  while (siren === LA_POSTE_SIREN) siren = generateSiren(rng);
  return withLuhnKey(`${siren}${randomDigits(rng, 4)}`);
}

function laPosteSiret(rng: Rng): string {
  const payload = `${LA_POSTE_SIREN}${randomDigits(rng, 4)}`;
  // Two digits bring the sum to a multiple of 5: r and r + 5.
  const smallest = (5 - (digitSum(payload) % 5)) % 5;
  return `${payload}${smallest + 5 * rng.int(0, 1)}`;
}

function withLuhnKey(payload: string): string {
  return `${payload}${luhnCheckDigit(payload)}`;
}

function randomDigits(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => String(rng.int(0, 9))).join('');
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
