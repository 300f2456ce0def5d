import type { ActFamily } from '../domain/coverage/act-family.js';
import { allCareDomains } from '../domain/coverage/care-domain.js';
import type { CareDomain } from '../domain/coverage/care-domain.js';
import { chance, pick } from '../domain/random.js';
import type { Rng } from '../domain/random.js';
import { formatCover, improveCover } from './cover.js';
import type { Cover } from './cover.js';
import { HOSPITAL_ONLY, LEVEL_PLANS } from './levels.js';
import type { Level, LevelPlan, PeriodCeiling } from './levels.js';

/** A guarantee exactly as the catalogue file writes it (docs/formats.md). */
export interface Guarantee {
  readonly domaine: CareDomain;
  readonly expression: string;
  readonly plafondAnnuel?: string;
  /** Absent: the calendar year. */
  readonly plafondPeriode?: { readonly moisGlissants: number };
  readonly plafondPar?: 'oeil' | 'oreille';
  readonly renouvellementMois?: number;
  readonly cent100Sante?: boolean;
  readonly familles?: Readonly<Partial<Record<ActFamily, string>>>;
}

export interface ProductVersion {
  readonly version: number;
  readonly debut: string;
  readonly fin: string | null;
  readonly garanties: readonly Guarantee[];
}

export interface Product {
  readonly code: string;
  readonly libelle: string;
  readonly niveau: Level;
  readonly responsable: boolean;
  readonly versions: readonly ProductVersion[];
}

/** A product as contracts are drawn from it: its share of contracts and the domains it covers. */
export interface ProductOffer {
  readonly product: Product;
  readonly weight: number;
  readonly domains: readonly CareDomain[];
}

interface LineupEntry {
  readonly stem: string;
  readonly label: string;
  readonly level: Level;
  readonly plan: LevelPlan;
  readonly responsible: boolean;
  /** Share of contracts, per thousand: middle levels sell most; hospital-only is the ~2% non-responsible. */
  readonly weight: number;
}

const LINEUP: readonly LineupEntry[] = [
  { stem: 'ESS', label: 'Essentiel', level: 'entree', plan: LEVEL_PLANS.entree, responsible: true, weight: 150 },
  { stem: 'EQU', label: 'Équilibre', level: 'intermediaire', plan: LEVEL_PLANS.intermediaire, responsible: true, weight: 350 },
  { stem: 'CONF', label: 'Confort', level: 'confort', plan: LEVEL_PLANS.confort, responsible: true, weight: 350 },
  { stem: 'PREM', label: 'Premium', level: 'premium', plan: LEVEL_PLANS.premium, responsible: true, weight: 130 },
  { stem: 'HOSP', label: 'Hospitalisation seule', level: 'entree', plan: HOSPITAL_ONLY, responsible: false, weight: 20 },
];

/** One guarantee drawn from a plan, before it is written. */
interface Drawn {
  readonly domain: CareDomain;
  readonly cover: Cover;
  readonly ceiling?: number;
  readonly period?: Omit<PeriodCeiling, 'euros'>;
  readonly renewalMonths?: number;
  readonly hundredPercentSante?: boolean;
  readonly families?: Readonly<Partial<Record<ActFamily, string>>>;
}

/** Dental ceilings grow with the cover when a new version improves it. */
const CEILING_STEP = 200;

/**
 * An insurer's range: every level, some twice (a "Plus" variant), each product with a
 * version for the previous year and an open one from January of `year` that improves a few
 * guarantees, as insurers do at each renewal.
 */
export function generateProducts(rng: Rng, year: number): ProductOffer[] {
  return LINEUP.flatMap((entry) => {
    const variants = entry.responsible && chance(rng, 0.4) ? 2 : 1;
    return Array.from({ length: variants }, (_, i) => offer(rng, entry, i + 1, variants, year));
  });
}

function offer(rng: Rng, entry: LineupEntry, variant: number, variants: number, year: number): ProductOffer {
  const previous = drawPlan(rng, entry.plan);
  const current = improveSome(rng, previous);
  const product: Product = {
    code: `${entry.stem}${variant}`,
    libelle: variant === 1 ? entry.label : `${entry.label} Plus`,
    niveau: entry.level,
    responsable: entry.responsible,
    versions: [
      { version: 1, debut: `${year - 1}-01-01`, fin: `${year - 1}-12-31`, garanties: previous.map(toGuarantee) },
      { version: 2, debut: `${year}-01-01`, fin: null, garanties: current.map(toGuarantee) },
    ],
  };
  // With two variants, the plain one sells twice as much as the "Plus".
  const weight = variants === 1 ? entry.weight : Math.round((entry.weight * (variant === 1 ? 2 : 1)) / 3);
  return { product, weight, domains: previous.map((drawn) => drawn.domain) };
}

function drawPlan(rng: Rng, plan: LevelPlan): Drawn[] {
  return allCareDomains.flatMap((domain) => {
    const choice = plan[domain];
    if (!choice) return [];
    const { ceilings, renewalMonths, hundredPercentSante, families, periodCeiling } = choice;
    const cover = pick(rng, choice.covers);
    const period = periodCeiling && { months: periodCeiling.months, ...(periodCeiling.per ? { per: periodCeiling.per } : {}) };
    return [{ domain, cover, ceiling: ceilings ? pick(rng, ceilings) : periodCeiling?.euros, period, renewalMonths, hundredPercentSante, families }];
  });
}

/** Two or three guarantees get better; TM and FR cannot, so they are never chosen. */
function improveSome(rng: Rng, drawn: readonly Drawn[]): Drawn[] {
  const candidates = drawn.filter((d) => improveCover(d.cover) !== undefined).map((d) => d.domain);
  const chosen = new Set<CareDomain>();
  const wanted = Math.min(candidates.length, rng.int(2, 3));
  while (chosen.size < wanted) chosen.add(pick(rng, candidates));
  return drawn.map((d) => (chosen.has(d.domain) ? improve(d) : d));
}

function improve(drawn: Drawn): Drawn {
  const cover = improveCover(drawn.cover) ?? drawn.cover;
  return { ...drawn, cover, ceiling: drawn.ceiling === undefined ? undefined : drawn.ceiling + CEILING_STEP };
}

function toGuarantee({ domain, cover, ceiling, period, renewalMonths, hundredPercentSante, families }: Drawn): Guarantee {
  return {
    domaine: domain,
    expression: formatCover(cover),
    ...(ceiling === undefined ? {} : { plafondAnnuel: String(ceiling) }),
    ...(period === undefined ? {} : { plafondPeriode: { moisGlissants: period.months } }),
    ...(period?.per === undefined ? {} : { plafondPar: period.per }),
    ...(renewalMonths === undefined ? {} : { renouvellementMois: renewalMonths }),
    ...(hundredPercentSante ? { cent100Sante: true } : {}),
    ...(families ? { familles: families } : {}),
  };
}
