import {
  BORN_ABROAD,
  CORSICA_DEPARTMENTS,
  FORMER_CORSICA_DEPARTMENT,
  METROPOLITAN_DEPARTMENTS,
  OVERSEAS_DEPARTMENTS,
} from './departments.js';
import { failure, success } from './result.js';
import type { Parsed } from './result.js';

export type BirthPlace = 'metropole' | 'corse' | 'outremer' | 'etranger';

export interface NirPlace {
  readonly birthPlace: BirthPlace;
  /** '75', '2A', '20' (Corsica, births before 1976), '971'… or '99' when born abroad. */
  readonly department: string;
  /** INSEE commune (3 digits, 2 overseas) or, when born abroad, the INSEE country code. */
  readonly commune: string;
}

/** Reads the birth place of the first 13 characters of a NIR (department and commune). */
export function readNirPlace(body: string): Parsed<NirPlace> {
  const department = body.slice(5, 7);
  // Overseas departments take a third digit from the commune.
  if (department === '97' || department === '98') return readOverseasPlace(body);
  const birthPlace = placeOfDepartment(department);
  if (birthPlace === undefined) {
    return failure('nir', 'NIR_DEPARTMENT', `Le département de naissance ${department} n'existe pas.`);
  }
  const commune = body.slice(7, 10);
  if (commune === '000') {
    const what = birthPlace === 'etranger' ? 'Le code pays de naissance' : 'Le code commune de naissance';
    return failure('nir', 'NIR_COMMUNE', `${what} ne peut pas être 000.`);
  }
  return success({ birthPlace, department, commune });
}

// Sets: this runs for every line of a member file.
const metropolitan = new Set(METROPOLITAN_DEPARTMENTS);
const overseas = new Set(OVERSEAS_DEPARTMENTS);

function placeOfDepartment(department: string): BirthPlace | undefined {
  if (metropolitan.has(department)) return 'metropole';
  // NIRs given before 1976 keep Corsica's former number.
  if (CORSICA_DEPARTMENTS.includes(department) || department === FORMER_CORSICA_DEPARTMENT) return 'corse';
  return department === BORN_ABROAD ? 'etranger' : undefined;
}

function readOverseasPlace(body: string): Parsed<NirPlace> {
  const department = body.slice(5, 8);
  if (!overseas.has(department)) {
    return failure('nir', 'NIR_DEPARTMENT', `Le département ou la collectivité d'outre-mer ${department} n'existe pas.`);
  }
  const commune = body.slice(8, 10);
  if (commune === '00') return failure('nir', 'NIR_COMMUNE', 'Le code commune de naissance ne peut pas être 00.');
  return success({ birthPlace: 'outremer', department, commune });
}
