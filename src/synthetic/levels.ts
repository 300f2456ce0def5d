import type { ActFamily } from '../domain/coverage/act-family.js';
import type { CareDomain } from '../domain/coverage/care-domain.js';
import { br, FR, flat, pmss, TM } from './cover.js';
import type { Cover } from './cover.js';

/** The market's four levels of contract, from the legal minimum to the most generous. */
export type Level = 'entree' | 'intermediaire' | 'confort' | 'premium';

/** The choices an insurer makes for one care domain at one level; one of each is drawn. */
export interface DomainPlan {
  readonly covers: readonly Cover[];
  /** Annual ceilings in euros (dental); absent means none. */
  readonly ceilings?: readonly number[];
  readonly renewalMonths?: number;
  /**
   * A ceiling of this many euros over rolling months, for the beneficiary or per eye or ear,
   * the same for every draw (so adding it moved no other draw of a seeded data set).
   */
  readonly periodCeiling?: PeriodCeiling;
  /** Optical, dental and hearing baskets of the 100% Santé reform, mandatory in responsible contracts. */
  readonly hundredPercentSante?: boolean;
  /** Guarantees of act families that differ from the domain's, as the catalogue writes them. */
  readonly families?: Readonly<Partial<Record<ActFamily, string>>>;
}

export interface PeriodCeiling {
  readonly euros: number;
  readonly months: number;
  readonly per?: 'oeil' | 'oreille';
}

export type LevelPlan = Readonly<Partial<Record<CareDomain, DomainPlan>>>;

function any(...covers: Cover[]): DomainPlan {
  return { covers };
}

/** Glasses: a lump sum on top of the base, one pair every two years for adults; the frame within its legal 100 €. */
function optical(euros: number[], periodCeiling?: PeriodCeiling): DomainPlan {
  const plan: DomainPlan = { covers: euros.map((amount) => br(100, amount)), renewalMonths: 24, hundredPercentSante: true, families: { MONTURE: '100 €' } };
  return periodCeiling ? { ...plan, periodCeiling } : plan;
}

function dental(covers: Cover[], ceilings?: number[]): DomainPlan {
  return ceilings ? { covers, ceilings, hundredPercentSante: true } : { covers, hundredPercentSante: true };
}

/** Hearing aids are renewed every four years. */
function hearing(covers: Cover[], periodCeiling?: PeriodCeiling): DomainPlan {
  const plan: DomainPlan = { covers, renewalMonths: 48, hundredPercentSante: true };
  return periodCeiling ? { ...plan, periodCeiling } : plan;
}

/** Medicines of low service rendered (15 %): a contrat responsable need not cover them, entry levels do not. */
const PHARMACY_WITHOUT_15: DomainPlan = { covers: [br(100)], families: { PHAR15: 'non couvert' } };

/** Entry level: the responsible-contract minimum, 100% BR everywhere but 15 % medicines. */
const ENTRY: LevelPlan = {
  PHAR: PHARMACY_WITHOUT_15, MED: any(br(100)), MEDE: any(br(100)), OPTI: optical([100]), DENT: dental([br(100)]),
  AUDI: hearing([br(100)]), LABO: any(br(100)), RADL: any(br(100)), AUXM: any(br(100)), HOSP: any(br(100)),
  SAGE: any(br(100)), TRAN: any(br(100)), CURE: any(br(100)),
};

const INTERMEDIATE: LevelPlan = {
  PHAR: any(br(100), TM), MED: any(br(100), br(125)), MEDE: any(br(125), br(150)), OPTI: optical([150, 200, 250]),
  DENT: dental([br(150), br(200)], [600, 800]), AUDI: hearing([br(100, 200), br(100, 300)]), LABO: any(br(100)),
  RADL: any(br(125), br(150)), AUXM: any(br(100), br(125)), HOSP: any(br(150), br(200)), SAGE: any(br(100), br(125)),
  TRAN: any(br(100), TM), CURE: any(flat(150), br(100, 100)),
};

const COMFORT: LevelPlan = {
  PHAR: any(br(100), TM), MED: any(br(150)), MEDE: any(br(175), br(200)), OPTI: optical([250, 300, 350], { euros: 500, months: 24 }),
  DENT: dental([br(250), br(300)], [1000, 1200]), AUDI: hearing([br(100, 500), br(100, 600)]), LABO: any(br(100), br(125)),
  RADL: any(br(200)), AUXM: any(br(150)), HOSP: any(br(250), br(300)), SAGE: any(br(150)), TRAN: any(br(100), TM),
  CURE: any(pmss(5), br(100, 200)),
};

const PREMIUM: LevelPlan = {
  PHAR: any(br(100)), MED: any(br(200)), MEDE: any(br(300)), OPTI: optical([400], { euros: 450, months: 24, per: 'oeil' }), DENT: dental([br(400)], [1500]),
  AUDI: hearing([br(100, 800), br(100, 1000)], { euros: 1700, months: 48, per: 'oreille' }), LABO: any(br(150)), RADL: any(br(300)), AUXM: any(br(200)),
  HOSP: any(FR), SAGE: any(br(200)), TRAN: any(br(100)), CURE: any(pmss(10)),
};

/** Hospital-only cover: sold outside the responsible-contract rules (about 2% of contracts). */
export const HOSPITAL_ONLY: LevelPlan = { HOSP: any(br(200), FR), TRAN: any(br(100)) };

export const LEVEL_PLANS: Readonly<Record<Level, LevelPlan>> = {
  entree: ENTRY,
  intermediaire: INTERMEDIATE,
  confort: COMFORT,
  premium: PREMIUM,
};
