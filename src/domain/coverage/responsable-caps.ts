import type { CareDomain } from './care-domain.js';
import type { CoverageRule, InvoiceLine } from './calculation-types.js';
import type { LineAmounts } from './line-amounts.js';
import { applyRate } from './rounding.js';

/** A class B frame, AMO included (art. R871-2 CSS as amended by décret 2019-21). */
export const FRAME_CAP_CENTS = 10_000;
/** A class II hearing aid, per ear, AMO included (art. R871-2 CSS as amended by décret 2019-21). */
export const HEARING_AID_CAP_CENTS = 170_000;
/** A non-OPTAM physician's dépassement is covered 20 % of the base below an adherent's (art. R871-2 CSS). */
const NON_OPTAM_GAP_BP = 2_000;

export interface Cap {
  /** The most the AMC may pay on the line. */
  readonly cents: number;
  readonly rule: CoverageRule;
}

/**
 * The lowest of the caps a contrat responsable puts on one line. The law writes each as a
 * bound on AMO + AMC; the AMO is taken off to bound the AMC. `allowedCents` is what the
 * guarantee allows on the line, AMO included: the cover an OPTAM physician would get.
 */
export function responsableCap(line: InvoiceLine, amounts: LineAmounts, allowedCents: number): Cap | undefined {
  const paidCaps: [number, CoverageRule][] = [];
  if (outsideOptam(line)) paidCaps.push([nonOptamPaidCap(amounts.baseCents, allowedCents), 'optam_cap']);
  if (line.priceLimitCents !== undefined) paidCaps.push([line.priceLimitCents * line.quantity, 'price_limit']);
  if (line.device?.kind === 'frame') paidCaps.push([FRAME_CAP_CENTS * line.quantity, 'optical_frame_cap']);
  if (line.device?.kind === 'hearing_aid') paidCaps.push([HEARING_AID_CAP_CENTS * line.quantity, 'hearing_aid_cap']);
  const caps = paidCaps.map(([paid, rule]): Cap => ({ cents: Math.max(0, paid - amounts.amoCents), rule }));
  return caps.sort((a, b) => a.cents - b.cents)[0];
}

/**
 * What AMO and AMC may pay together for a physician outside OPTAM: the base, plus a
 * dépassement covered at most 100 % of the base and at most the adherent's cover of it
 * (what the guarantee allows above the base) minus 20 % of the base.
 */
export function nonOptamPaidCap(baseCents: number, allowedCents: number): number {
  const adherentExcess = Math.max(0, allowedCents - baseCents);
  const excess = Math.min(baseCents, Math.max(0, adherentExcess - applyRate(baseCents, NON_OPTAM_GAP_BP)));
  return baseCents + excess;
}

/** Domains whose every line is a physician's fee: GPs, specialists, radiologists. */
export const PHYSICIAN_DOMAINS: readonly CareDomain[] = ['MED', 'MEDE', 'RADL'];

/**
 * A physician outside OPTAM: said so on any line (a surgeon's fee in a HOSP invoice), or
 * not said on a physician's domain, where the absence takes the side that pays less.
 */
export function outsideOptam(line: Pick<InvoiceLine, 'domain' | 'optam'>): boolean {
  return line.optam === false || (line.optam === undefined && PHYSICIAN_DOMAINS.includes(line.domain));
}
