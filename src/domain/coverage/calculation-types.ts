import type { CalendarDate } from '../dates.js';
import type { ErrorCode } from '../errors/codes.js';
import type { Cents } from '../money.js';
import type { ActFamily } from './act-family.js';
import type { CareDomain } from './care-domain.js';
import type { CeilingEntry, CeilingPeriod, CeilingScope, Side } from './ceiling-period.js';
import type { Device } from './device.js';
import type { GuaranteeExpression } from './guarantee-expression.js';

/**
 * One line of a professional's invoice. Price, base and price limit are per unit (the
 * line is `quantity` identical acts); the flat fee and the deductible are line totals,
 * as the AMO withholds them.
 */
export interface InvoiceLine {
  /** Free text ("G", "CS", "FJ", "PHAR65"…); only "FJ" and "CP" on a HOSP line have a rule of their own (hospital-acts.ts). */
  readonly actCode: string;
  readonly domain: CareDomain;
  readonly quantity: number;
  /** FR, frais réels: what the professional charges for one unit. */
  readonly unitPriceCents: Cents;
  /** BR, base de remboursement: the regulated tariff of one unit. */
  readonly unitBaseCents: Cents;
  /** AMO rate in basis points: 7000 = 70 %. */
  readonly amoRateBp: number;
  /** PF, participation forfaitaire, for the whole line. */
  readonly flatFeeCents: Cents;
  /** Franchise for the whole line. */
  readonly deductibleCents: Cents;
  /**
   * Physician's adherence to OPTAM or OPTAM-CO. On a physician's domain (MED, MEDE, RADL)
   * absent means not adherent, the side that pays less (art. R871-2 CSS caps non-adherents);
   * a HOSP line charged above a non-zero base must say it (optam-input.ts).
   */
  readonly optam?: boolean;
  /** The line belongs to a 100 % Santé basket (then priceLimitCents is required). */
  readonly hundredPercentSante?: boolean;
  /** Regulated limit per unit on what AMO and AMC pay together under a contrat responsable (100 % Santé PLV, or any limit the caller knows of). */
  readonly priceLimitCents?: Cents;
  /**
   * What an optical or hearing line sells. Required on OPTI and AUDI lines that are not
   * 100 % Santé: their contrat responsable caps depend on it (responsable-caps.ts,
   * optical-equipment.ts; device-input.ts refuses a line without it).
   */
  readonly device?: Device;
  /** The eye or the ear a lens or a hearing aid is for: per-eye and per-ear ceilings and the hearing aid's renewal count by side. */
  readonly side?: Side;
}

/** A product version's guarantee for one care domain, with the counter of its ceiling. */
export interface DomainGuarantee {
  /** What the guarantee pays on the domain's lines… */
  readonly expression: GuaranteeExpression;
  /**
   * …unless the line's act family (act-family.ts) has its own: an expression, or null for
   * "not covered" (a contrat responsable still pays the ticket modérateur it owes). The
   * family's lines count on the domain's ceiling.
   */
  readonly families?: Partial<Readonly<Record<ActFamily, GuaranteeExpression | null>>>;
  /** The ceiling's amount for one period (a calendar year unless `ceilingPeriod` says otherwise). */
  readonly annualCeilingCents: Cents | null;
  /** Already consumed on that ceiling this year, as read; the engine never changes it. Added to what `history` uses. */
  readonly consumedCents: Cents;
  /** Calendar year when absent: what old catalogues mean. */
  readonly ceilingPeriod?: CeilingPeriod;
  /** The beneficiary's, for the whole domain, when absent; or one ceiling per eye, per ear. */
  readonly ceilingScope?: CeilingScope;
  /** One equipment per this many months (catalogue `renouvellementMois`); null or absent: the law's delay only. */
  readonly renewalMonths?: number | null;
  /** The beneficiary's movements on the domain's ceilings, as read: the periods' usage and the last equipment come from them. */
  readonly history?: readonly CeilingEntry[];
}

export interface CoverageTerms {
  /** Contrat responsable: legal minimums and caps apply (DOMAIN.md). */
  readonly responsable: boolean;
  /** Guarantees of the product version valid on the date of care; an absent domain is not covered. */
  readonly guarantees: Partial<Readonly<Record<CareDomain, DomainGuarantee>>>;
}

export interface CoverageRequest {
  readonly careDate: CalendarDate;
  readonly lines: readonly InvoiceLine[];
  readonly terms: CoverageTerms;
  /** PMSS to use for `N% PMSS`; by default the one of the year of care (pmss.ts). */
  readonly pmssCents?: Cents;
  /** Age on the day of care, for the glasses' renewal delay (12 months under 16); unknown: an adult's. */
  readonly beneficiaryAgeYears?: number;
}

/** Stable machine codes of the rule that set a line's AMC part, with their French label. */
export const coverageRules = {
  copay: 'Ticket modérateur',
  br_percent: 'Pourcentage de la base de remboursement',
  actual_cost: 'Frais réels',
  flat: 'Forfait',
  pmss_percent: 'Pourcentage du plafond mensuel de la Sécurité sociale',
  not_covered: 'Domaine non couvert par le contrat',
  ceiling_reached: 'Plafond de la garantie atteint sur sa période',
  responsable_minimum: 'Ticket modérateur dû par le contrat responsable',
  hospital_daily_fee: 'Forfait journalier hospitalier, pris en charge sans limite',
  hundred_percent_sante: '100 % Santé : rien à payer dans la limite du prix limite de vente',
  optam_cap: 'Médecin non adhérent OPTAM : dépassement pris en charge à 100 % de la base au plus, et 20 % de la base de moins qu’avec un adhérent',
  price_limit: 'Prise en charge plafonnée par la réglementation',
  optical_frame_cap: 'Monture de classe B : 100 € au plus, part de l’Assurance maladie comprise',
  optical_equipment_cap: 'Équipement d’optique de classe B : plafond selon la complexité des verres, monture et part de l’Assurance maladie comprises',
  optical_equipment_minimum: 'Équipement d’optique de classe B : minimum du contrat responsable (50 € à verres simples, 200 € à verres complexes), part de l’Assurance maladie comprise',
  hearing_aid_cap: 'Aide auditive de classe II : 1 700 € au plus par oreille, part de l’Assurance maladie comprise',
  renewal_period: 'Équipement renouvelé avant la fin de sa période (lunettes : 2 ans, 1 an avant 16 ans ; aide auditive : 4 ans par oreille) : seul le ticket modérateur d’un contrat responsable reste dû',
} as const;

export type { Device, LensComplexity } from './device.js';
export type { CeilingEntry, CeilingPeriod, CeilingScope, Side } from './ceiling-period.js';

export type CoverageRule = keyof typeof coverageRules;

/** What each party pays on one line. `priceCents = amoPaidCents + amcCents + patientCents`. */
export interface LineCoverage {
  /** FR × quantity. */
  readonly priceCents: Cents;
  /** AMO part before the flat fee and deductible are withheld (rate × base). */
  readonly amoCents: Cents;
  /** What the AMO actually pays: AMO − PF − franchise, never below 0. */
  readonly amoPaidCents: Cents;
  readonly amcCents: Cents;
  /** What is left to the patient, withheld PF and franchise included. */
  readonly patientCents: Cents;
  /** Part of amcCents counted on the domain's annual ceiling. */
  readonly ceilingConsumedCents: Cents;
  readonly rule: CoverageRule;
  readonly label: string;
}

export interface CoverageTotals {
  readonly priceCents: Cents;
  readonly amoCents: Cents;
  readonly amoPaidCents: Cents;
  readonly amcCents: Cents;
  readonly patientCents: Cents;
}

/** What accepting the invoice would add to a domain's counter (one per side for a per-eye or per-ear ceiling). */
export interface CeilingUse {
  readonly domain: CareDomain;
  /** Absent for the beneficiary's ceiling, and for the lines of a per-side ceiling that say no side. */
  readonly side?: Side;
  readonly ceilingCents: Cents;
  readonly consumedBeforeCents: Cents;
  readonly consumptionCents: Cents;
}

export interface CoverageCalculation {
  /** In the caller's order. */
  readonly lines: readonly LineCoverage[];
  readonly totals: CoverageTotals;
  /** One entry per domain of the invoice that has an annual ceiling. */
  readonly ceilings: readonly CeilingUse[];
}

export interface CoverageError {
  readonly code: ErrorCode;
  /** French, for the professional or the insurer's staff. */
  readonly reason: string;
}
