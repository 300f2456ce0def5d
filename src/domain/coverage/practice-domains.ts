import type { CareDomain } from './care-domain.js';

/** What the directory says of a practice: profession code, specialty, kind of site. */
export interface Practice {
  professionCode: string;
  specialty: string | null;
  siteKind: string;
}

/** The directory's profession codes (RPPS nomenclature) and the care they bill. */
const byProfession: Readonly<Record<string, readonly CareDomain[]>> = {
  '10': ['MED', 'MEDE'], // médecin
  '21': ['PHAR'], // pharmacien
  '26': ['AUDI'], // audioprothésiste
  '28': ['OPTI'], // opticien-lunetier
  '40': ['DENT'], // chirurgien-dentiste
  '50': ['SAGE'], // sage-femme
  '60': ['AUXM'], // infirmier
  '70': ['AUXM'], // masseur-kinésithérapeute
};

const RADIOLOGY = 'SM26';

/**
 * The care domains a caller may see (THREATS.md point 3: least data per caller): those its
 * profession bills, plus radiology for radiologists, biology in a laboratory, and the
 * hospital domain in an establishment. An optician learns nothing of dental rights.
 */
export function domainsForPractice(practice: Practice): CareDomain[] {
  const domains = new Set<CareDomain>(byProfession[practice.professionCode] ?? []);
  if (practice.professionCode === '10' && practice.specialty === RADIOLOGY) domains.add('RADL');
  if (practice.siteKind === 'laboratoire' && ['10', '21'].includes(practice.professionCode)) domains.add('LABO');
  if (practice.siteKind === 'etablissement') domains.add('HOSP');
  return [...domains].sort();
}
