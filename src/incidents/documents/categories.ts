import type { AccessPurpose } from '../../audit/access-record.js';
import { careDomains, isCareDomain, type CareDomain } from '../../domain/coverage/care-domain.js';

/**
 * Exposure categories as the snapshot stores them ("rights_check:OPTI", "coverage",
 * …) put into words: to the member in the second person and plain words, to the CNIL
 * and the insurer in neutral terms. An unknown purpose or domain gets a generic wording
 * rather than a crash: a letter must go out even if the log learnt a new purpose first.
 */
interface PurposeWords {
  member: string;
  register: string;
}

const purposes: Record<AccessPurpose, PurposeWords> = {
  rights_check: {
    member: 'l’existence et l’étendue de vos droits à la complémentaire santé (quelqu’un a vérifié que votre complémentaire vous couvre, et pour quels soins)',
    register: 'Identification des droits : existence et étendue des droits à la complémentaire santé',
  },
  coverage: {
    member: 'le calcul de la part remboursée par votre complémentaire pour des soins',
    register: 'Calcul de la part prise en charge par la complémentaire',
  },
  engagement: {
    member: 'un accord de prise en charge',
    register: 'Accord de prise en charge',
  },
  prior_agreement: {
    member: 'une demande d’accord préalable (prise en charge avant des lunettes, des aides auditives ou des soins dentaires), sa consultation ou son annulation',
    register: 'Accord préalable (prise en charge) : demande, consultation ou annulation',
  },
  invoice: {
    member: 'une facture de soins envoyée à votre complémentaire, sa décision (paiement ou rejet), sa consultation, son annulation ou son retour à la structure de soins',
    register: 'Facture (DRE) : décision de paiement ou de rejet, consultation, annulation, retour',
  },
};

const unknownPurpose: PurposeWords = {
  member: 'des informations sur votre complémentaire santé',
  register: 'Autre consultation de la complémentaire santé',
};

/** Examples for the domains whose name alone says little to a member. */
const examples: Partial<Record<CareDomain, string>> = {
  AUXM: 'infirmiers, kinésithérapeutes…',
  LABO: 'analyses de laboratoire',
  RADL: 'radios, échographies…',
};

export interface ParsedCategory {
  purpose: string;
  domain: string | null;
}

export function parseCategory(category: string): ParsedCategory {
  const colon = category.indexOf(':');
  return colon < 0 ? { purpose: category, domain: null } : { purpose: category.slice(0, colon), domain: category.slice(colon + 1) };
}

function purposeWords(purpose: string): PurposeWords {
  return Object.hasOwn(purposes, purpose) ? purposes[purpose as AccessPurpose] : unknownPurpose;
}

/** « optique », « biologie (analyses de laboratoire) »; a code the platform does not know stays out of a letter. */
export function careTypeWords(domain: string): string {
  if (!isCareDomain(domain)) return 'un autre type de soins';
  const label = careDomains[domain].toLocaleLowerCase('fr-FR');
  const example = examples[domain];
  return example ? `${label} (${example})` : label;
}

/** One category in neutral words, for the CNIL draft and the notice to the insurer. */
export function registerWords(category: string): string {
  const { purpose, domain } = parseCategory(category);
  const words = purposeWords(purpose).register;
  return domain === null ? words : `${words} — type de soins : ${careTypeWords(domain)}`;
}

/**
 * A member's categories as letter lines: one per purpose, with the types of care it
 * concerned, e.g. « le calcul de … — types de soins : dentaire, optique ».
 */
export function memberWords(categories: readonly string[]): string[] {
  const byPurpose = new Map<string, Set<string>>();
  for (const { purpose, domain } of [...categories].map(parseCategory).sort(byPurposeOrder)) {
    const key = purposeWords(purpose).member;
    const domains = byPurpose.get(key) ?? new Set<string>();
    if (domain !== null) domains.add(careTypeWords(domain));
    byPurpose.set(key, domains);
  }
  if (byPurpose.size === 0) return [unknownPurpose.member];
  return [...byPurpose].map(([words, domains]) => withCareTypes(words, [...domains]));
}

function withCareTypes(words: string, domains: string[]): string {
  if (domains.length === 0) return words;
  return `${words} — ${domains.length > 1 ? 'types de soins' : 'type de soins'} : ${domains.join(', ')}`;
}

const order = Object.keys(purposes);

function byPurposeOrder(a: ParsedCategory, b: ParsedCategory): number {
  const rank = (p: string): number => (order.includes(p) ? order.indexOf(p) : order.length);
  return rank(a.purpose) - rank(b.purpose);
}

/** The types of care a member's categories name, in words, without repeats. */
export function memberCareTypes(categories: readonly string[]): string[] {
  const domains = categories.map((category) => parseCategory(category).domain).filter((domain) => domain !== null);
  return [...new Set(domains.map(careTypeWords))];
}

/** Whether someone confirmed the member's coverage, which takes the NIR and birth date (THREATS.md point 2). */
export function includesRightsCheck(categories: readonly string[]): boolean {
  return categories.some((category) => parseCategory(category).purpose === 'rights_check');
}
