import { UNKNOWN_BIRTH_MONTH_CODES } from '../domain/identifiers/index.js';
import type { BirthPlace, Sex } from '../domain/identifiers/index.js';
import { chance, pick } from '../domain/random.js';
import type { Rng } from '../domain/random.js';
import { isoDate } from '../fiction/calendar.js';
import type { NirSpace, SexDigit } from './nir-space.js';
import { BIRTH_PLACE_KINDS, BIRTH_PLACES, corsicaForYear } from './places.js';
import { pad } from './scatter.js';

/** Who a beneficiary line is about: the NIR they are covered under, and their own birth date. */
export interface Identity {
  readonly nir: string;
  /** AAAA-MM-JJ, or a "lunar" date kept as given for some people born abroad. */
  readonly birthDate: string;
}

/** Share of people born abroad whose civil status has no calendar date. */
const LUNAR_SHARE = 0.15;
/** Share of people born abroad still on a provisional number (NIA or waiting number). */
const PROVISIONAL_SHARE = 0.12;
/** Share of adults identified by an MSA provisional number (farmers' scheme). */
const MSA_SHARE = 0.0005;

const PROVISIONAL_DIGITS: Readonly<Record<Sex, readonly SexDigit[]>> = { male: ['3', '7'], female: ['4', '8'] };

/**
 * Someone with a NIR of their own, born on `birthDay` (days since 1970): the NIR's year and
 * month follow the birth date, and its place and number come from the insurer's NirSpace.
 */
export function ownIdentity(rng: Rng, nirs: NirSpace, sex: Sex, birthDay: number, adult: boolean): Identity {
  if (adult && chance(rng, MSA_SHARE)) return { nir: nirs.allocateMsa(), birthDate: isoDate(birthDay) };
  const kind = (adult ? BIRTH_PLACE_KINDS.adult : BIRTH_PLACE_KINDS.child).pick(rng);
  const calendar = isoDate(birthDay);
  const place = corsicaForYear(BIRTH_PLACES[kind].pick(rng), Number(calendar.slice(0, 4)));
  const { birthDate, monthCode } = kind === 'etranger' && chance(rng, LUNAR_SHARE) ? lunar(rng, calendar) : regular(calendar);
  const nir = nirs.allocate(sexDigit(rng, sex, kind), birthDate.slice(2, 4), monthCode, place);
  return { nir, birthDate };
}

function sexDigit(rng: Rng, sex: Sex, kind: BirthPlace): SexDigit {
  if (kind === 'etranger' && chance(rng, PROVISIONAL_SHARE)) return pick(rng, PROVISIONAL_DIGITS[sex]);
  return sex === 'male' ? '1' : '2';
}

function regular(calendar: string): { birthDate: string; monthCode: string } {
  return { birthDate: calendar, monthCode: calendar.slice(5, 7) };
}

/**
 * A civil status without a calendar date, in the shapes seen in files: 1975-00-00,
 * 1975-06-00, 1980-13-45, 1990-02-30. The NIR keeps the month when there is a real one and
 * says "unknown" otherwise.
 */
function lunar(rng: Rng, calendar: string): { birthDate: string; monthCode: string } {
  const year = calendar.slice(0, 4);
  const unknownMonth = (): string => pick(rng, UNKNOWN_BIRTH_MONTH_CODES);
  switch (rng.int(0, 3)) {
    case 0:
      return { birthDate: `${year}-00-00`, monthCode: unknownMonth() };
    case 1: {
      const month = pad(rng.int(1, 12), 2);
      return { birthDate: `${year}-${month}-00`, monthCode: month };
    }
    case 2:
      return { birthDate: `${year}-${rng.int(13, 99)}-${pad(rng.int(1, 99), 2)}`, monthCode: unknownMonth() };
    default:
      return { birthDate: `${year}-02-${rng.int(30, 31)}`, monthCode: '02' };
  }
}
