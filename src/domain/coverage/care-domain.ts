/**
 * Care domains as the trade writes them on the insurer's card. The list is market
 * shorthand, not a normative code set (DOMAIN.md): new ones are added here, in one place.
 */
export const careDomains = {
  PHAR: 'Pharmacie',
  MED: 'Médecins généralistes',
  MEDE: 'Médecins spécialistes',
  OPTI: 'Optique',
  DENT: 'Dentaire',
  AUDI: 'Aides auditives',
  LABO: 'Biologie',
  RADL: 'Radiologie',
  AUXM: 'Auxiliaires médicaux',
  HOSP: 'Hospitalisation',
  SAGE: 'Sages-femmes',
  TRAN: 'Transport',
  CURE: 'Cures thermales',
} as const;

export type CareDomain = keyof typeof careDomains;

export const allCareDomains = Object.keys(careDomains) as CareDomain[];

export function isCareDomain(value: string): value is CareDomain {
  return Object.hasOwn(careDomains, value);
}
