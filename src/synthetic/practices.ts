import { chance, pick } from '../domain/random.js';
import type { Rng } from '../domain/random.js';
import { LANDMARKS, ofPlace, PLACE_NAMES } from './names.js';
import { Weighted } from './weighted.js';

export type SiteKind = 'officine' | 'cabinet' | 'centre_optique' | 'laboratoire' | 'centre_audition' | 'etablissement' | 'centre_sante';
export type Role = 'titulaire' | 'salarie' | 'remplacant' | 'associe';

/** A kind of professional: directory profession code, specialty, where they work, how many there are. */
export interface Practice {
  readonly name: string;
  readonly profession: string;
  readonly specialty: string;
  readonly sites: Weighted<SiteKind>;
  /** Their own practice's name, from the founder's last name. */
  readonly cabinetName: (lastName: string) => string;
}

/**
 * Radiology is `SM26` as docs/formats.md names it. Other physicians carry no specialty: the
 * directory's specialty codes are not confirmed here, and a wrong code would look valid.
 */
const RADIOLOGY = 'SM26';

function practice(name: string, profession: string, specialty: string, sites: [SiteKind, number][], cabinetName: (lastName: string) => string): Practice {
  return { name, profession, specialty, sites: new Weighted(sites), cabinetName };
}

const doctor = (lastName: string): string => `Cabinet du Dr ${lastName}`;

const PRACTICES = {
  generaliste: practice('generaliste', '10', '', [['cabinet', 80], ['centre_sante', 8], ['etablissement', 12]], doctor),
  radiologue: practice('radiologue', '10', RADIOLOGY, [['cabinet', 70], ['etablissement', 30]], (n) => `Cabinet de radiologie ${n}`),
  biologiste: practice('biologiste', '10', '', [['laboratoire', 100]], doctor),
  pharmacien: practice('pharmacien', '21', '', [['officine', 88], ['etablissement', 7], ['laboratoire', 5]], (n) => `Pharmacie ${n}`),
  audioprothesiste: practice('audioprothesiste', '26', '', [['centre_audition', 100]], (n) => `Audition ${n}`),
  opticien: practice('opticien', '28', '', [['centre_optique', 100]], (n) => `Optique ${n}`),
  dentiste: practice('dentiste', '40', '', [['cabinet', 85], ['centre_sante', 15]], (n) => `Cabinet dentaire ${n}`),
  sageFemme: practice('sage-femme', '50', '', [['cabinet', 50], ['etablissement', 50]], (n) => `Cabinet de sage-femme ${n}`),
  infirmier: practice('infirmier', '60', '', [['cabinet', 75], ['etablissement', 20], ['centre_sante', 5]], (n) => `Cabinet infirmier ${n}`),
  kinesitherapeute: practice('kinesitherapeute', '70', '', [['cabinet', 90], ['etablissement', 10]], (n) => `Cabinet de kinésithérapie ${n}`),
};

/**
 * The national mix, per thousand professionals: many nurses, GPs, physiotherapists and
 * pharmacists, few audioprosthetists.
 */
export const PRACTICE_MIX = new Weighted<Practice>([
  [PRACTICES.infirmier, 260], [PRACTICES.generaliste, 190], [PRACTICES.kinesitherapeute, 160], [PRACTICES.pharmacien, 150],
  [PRACTICES.dentiste, 80], [PRACTICES.opticien, 70], [PRACTICES.sageFemme, 45], [PRACTICES.radiologue, 20],
  [PRACTICES.audioprothesiste, 15], [PRACTICES.biologiste, 10],
]);

/** Shared institutions mix professions; other sites are one profession's (a pharmacy, a cabinet). */
const SHARED_KINDS: ReadonlySet<SiteKind> = new Set(['etablissement', 'centre_sante', 'laboratoire']);

/** Which sites may a professional join rather than found: the same practice's, or a shared institution. */
export function poolKey(kind: SiteKind, of: Practice): string {
  return SHARED_KINDS.has(kind) ? kind : `${kind}:${of.name}`;
}

/** Chance that a professional joins a recent site of that kind instead of founding one. */
export const JOIN_SHARE: Readonly<Record<SiteKind, number>> = {
  etablissement: 0.9, centre_sante: 0.7, laboratoire: 0.6, officine: 0.45, centre_optique: 0.4, cabinet: 0.3, centre_audition: 0.2,
};

/** Sites known by FINESS (health establishments and pharmacies), by SIRET (cabinets), or both. */
export const SITE_IDENTIFIERS: Readonly<Record<SiteKind, { readonly finess: boolean; readonly siret: boolean }>> = {
  officine: { finess: true, siret: false },
  etablissement: { finess: true, siret: false },
  laboratoire: { finess: true, siret: true },
  centre_sante: { finess: true, siret: true },
  centre_optique: { finess: true, siret: true },
  centre_audition: { finess: true, siret: true },
  cabinet: { finess: false, siret: true },
};

/** The founder is the owner, except in institutions, where everyone is an employee. */
export function founderRole(kind: SiteKind): Role {
  if (kind === 'etablissement' || kind === 'centre_sante') return 'salarie';
  return kind === 'laboratoire' ? 'associe' : 'titulaire';
}

export function joinerRole(rng: Rng, kind: SiteKind): Role {
  if (kind === 'etablissement' || kind === 'centre_sante') return 'salarie';
  if (kind === 'cabinet' || kind === 'laboratoire') return chance(rng, 0.7) ? 'associe' : 'remplacant';
  return chance(rng, 0.85) ? 'salarie' : 'remplacant';
}

export function siteName(rng: Rng, kind: SiteKind, of: Practice, founder: string): string {
  const town = pick(rng, PLACE_NAMES);
  switch (kind) {
    case 'etablissement':
      return chance(rng, 0.6) ? `Centre hospitalier ${ofPlace(town)}` : `Clinique ${pick(rng, LANDMARKS)}`;
    case 'centre_sante':
      return `Centre de santé ${pick(rng, LANDMARKS)}`;
    case 'laboratoire':
      return `Laboratoire de biologie médicale ${ofPlace(town)}`;
    case 'officine':
      return chance(rng, 0.5) ? `Pharmacie ${pick(rng, LANDMARKS)}` : of.cabinetName(founder);
    case 'centre_optique':
    case 'centre_audition':
      return chance(rng, 0.5) ? of.cabinetName(town) : of.cabinetName(founder);
    case 'cabinet':
      return of.cabinetName(founder);
  }
}
