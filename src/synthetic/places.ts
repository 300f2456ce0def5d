import {
  BORN_ABROAD,
  CORSICA_DEPARTMENTS,
  FORMER_CORSICA_DEPARTMENT,
  METROPOLITAN_DEPARTMENTS,
} from '../domain/identifiers/departments.js';
import type { BirthPlace } from '../domain/identifiers/index.js';
import { Weighted } from './weighted.js';

/**
 * Where people are born and where sites are, weighted roughly like the French population
 * so that big départements dominate: 10 = an average département.
 */
const POPULOUS_DEPARTMENTS: Readonly<Record<string, number>> = {
  '59': 40, '75': 33, '13': 31, '69': 28, '92': 25, '93': 25, '33': 25, '62': 23, '78': 22, '77': 22,
  '94': 21, '31': 21, '44': 22, '91': 20, '95': 19, '76': 19, '06': 17, '67': 17, '34': 18, '38': 19,
};

function metropolitanWeight(department: string): number {
  return POPULOUS_DEPARTMENTS[department] ?? 8;
}

/**
 * A NIR birth place: the characters written after the month, and how many commune digits
 * follow them (3 in mainland France, 2 overseas, none abroad where the country code sits
 * in the commune field and only the 3-digit order number varies).
 */
export interface NirPlace {
  readonly index: number;
  readonly birthPlace: BirthPlace;
  readonly prefix: string;
  readonly communeDigits: 0 | 2 | 3;
  /** The place to use when this one has no free number left for a birth month. */
  readonly next: number;
}

/** Overseas departments and communities people are most often born in (others are rare). */
const OVERSEAS_BIRTHS: readonly (readonly [string, number])[] = [
  ['971', 30], ['972', 28], ['973', 20], ['974', 60], ['976', 20], ['975', 1], ['987', 6], ['988', 7],
];

/**
 * INSEE country codes (the last 3 digits of 99xxx), e.g. 352 Algérie, 350 Maroc, 351 Tunisie,
 * 139 Portugal, 127 Italie, 134 Espagne, 109 Allemagne, 131 Belgique, 132 Royaume-Uni, 208 Turquie.
 */
const COUNTRIES: readonly (readonly [string, number])[] = [
  ['352', 30], ['350', 25], ['351', 12], ['139', 14], ['127', 6], ['134', 6], ['109', 4], ['131', 3],
  ['132', 3], ['208', 5], ['341', 4], ['335', 3], ['326', 3], ['322', 3], ['216', 3], ['243', 2],
  ['122', 2], ['114', 3],
];

interface PlaceSpec {
  readonly birthPlace: BirthPlace;
  readonly prefix: string;
  readonly communeDigits: 0 | 2 | 3;
  readonly weight: number;
}

const SPECS: readonly PlaceSpec[] = [
  ...METROPOLITAN_DEPARTMENTS.map((d) => spec('metropole', d, 3, metropolitanWeight(d))),
  // Corsica's share (about 0.5%) is split between its two départements; '20' is chosen by year.
  ...CORSICA_DEPARTMENTS.map((d) => spec('corse', d, 3, 4)),
  spec('corse', FORMER_CORSICA_DEPARTMENT, 3, 0),
  ...OVERSEAS_BIRTHS.map(([d, weight]) => spec('outremer', d, 2, weight)),
  ...COUNTRIES.map(([country, weight]) => spec('etranger', `${BORN_ABROAD}${country}`, 0, weight)),
];

function spec(birthPlace: BirthPlace, prefix: string, communeDigits: 0 | 2 | 3, weight: number): PlaceSpec {
  return { birthPlace, prefix, communeDigits, weight };
}

/**
 * Every NIR birth place, indexed. `next` cycles within the same kind of place, and keeps
 * Corsica's former '20' (never drawn, only chosen by year) apart from 2A and 2B.
 */
export const NIR_PLACES: readonly NirPlace[] = SPECS.map(({ birthPlace, prefix, communeDigits }, index) => ({
  index,
  birthPlace,
  prefix,
  communeDigits,
  next: nextOfSameKind(index),
}));

function nextOfSameKind(index: number): number {
  const group = (spec: PlaceSpec | undefined): string => `${spec?.birthPlace}|${(spec?.weight ?? 0) > 0}`;
  for (let step = 1; step < SPECS.length; step += 1) {
    const candidate = (index + step) % SPECS.length;
    if (group(SPECS[candidate]) === group(SPECS[index])) return candidate;
  }
  return index;
}

const FORMER_CORSICA = NIR_PLACES.find((place) => place.prefix === FORMER_CORSICA_DEPARTMENT) as NirPlace;
/** Corsica was split into 2A and 2B in 1976; people born there before keep '20'. */
const CORSICA_SPLIT_YEAR = 1976;

export function corsicaForYear(place: NirPlace, birthYear: number): NirPlace {
  return place.birthPlace === 'corse' && birthYear < CORSICA_SPLIT_YEAR ? FORMER_CORSICA : place;
}

/**
 * Places of birth, by kind, per thousand. Adults: about 87% mainland, 0.5% Corsica, 3%
 * overseas, 9.5% abroad. Children of a family covered in France are mostly born here.
 */
const ADULT_SHARES: Readonly<Record<BirthPlace, number>> = { metropole: 870, corse: 5, outremer: 30, etranger: 95 };
const CHILD_SHARES: Readonly<Record<BirthPlace, number>> = { metropole: 950, corse: 5, outremer: 30, etranger: 15 };

function placesOfKind(kind: BirthPlace): Weighted<NirPlace> {
  const weighted = NIR_PLACES.map((place) => [place, SPECS[place.index]?.weight ?? 0] as const);
  return new Weighted(weighted.filter(([place, weight]) => place.birthPlace === kind && weight > 0));
}

export const BIRTH_PLACE_KINDS = {
  adult: new Weighted(Object.entries(ADULT_SHARES) as [BirthPlace, number][]),
  child: new Weighted(Object.entries(CHILD_SHARES) as [BirthPlace, number][]),
} as const;
export const BIRTH_PLACES: Readonly<Record<BirthPlace, Weighted<NirPlace>>> = {
  metropole: placesOfKind('metropole'),
  corse: placesOfKind('corse'),
  outremer: placesOfKind('outremer'),
  etranger: placesOfKind('etranger'),
};

/** Where health sites are: mainland, Corsica and the five overseas départements. */
export const SITE_DEPARTMENTS = new Weighted<string>([
  ...METROPOLITAN_DEPARTMENTS.map((d) => [d, metropolitanWeight(d)] as const),
  ...CORSICA_DEPARTMENTS.map((d) => [d, 4] as const),
  ...OVERSEAS_BIRTHS.slice(0, 5).map(([d, weight]) => [d, Math.round(weight / 4)] as const),
]);
