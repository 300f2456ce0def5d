/**
 * The directory's profession codes (RPPS nomenclature) in words, as an insured person
 * reads them. Codes not listed here are named generically, never shown raw.
 */
const professions: Readonly<Record<string, string>> = {
  '10': 'médecin',
  '21': 'pharmacien',
  '26': 'audioprothésiste',
  '28': 'opticien-lunetier',
  '40': 'chirurgien-dentiste',
  '50': 'sage-femme',
  '60': 'infirmier',
  '70': 'masseur-kinésithérapeute',
};

/** Specialties worth naming: radiology, as docs/formats.md codes it. */
const specialties: Readonly<Record<string, string>> = { SM26: 'médecin radiologue' };

export function professionLabel(professionCode: string, specialty: string | null): string {
  return (specialty !== null ? specialties[specialty] : undefined) ?? professions[professionCode] ?? 'professionnel de santé';
}

/** Kinds of site of the directory, as a place in a sentence (« au cabinet », « à la pharmacie »). */
const atSiteKinds: Readonly<Record<string, string>> = {
  officine: 'à la pharmacie',
  cabinet: 'au cabinet',
  centre_optique: 'au magasin d’optique',
  laboratoire: 'au laboratoire',
  centre_audition: 'au centre d’audition',
  etablissement: 'à l’établissement de santé',
  centre_sante: 'au centre de santé',
};

export function atSiteKind(kind: string): string {
  return atSiteKinds[kind] ?? 'à la structure';
}
