import { readFileSync } from 'node:fs';
import { RempartError } from '../domain/errors/codes.js';
import type { Profile } from './profile.js';

/**
 * The shield's thresholds, as configuration: the security team tunes them without a
 * release (REMPART_SHIELD_THRESHOLDS names a JSON file of overrides). Each is read as
 * "step-up beyond"; `slowAt` of a step-up threshold slows the account down first.
 */
export interface ShieldThresholds {
  /** Multiplies every profile's per-minute cap of distinct patients. */
  minuteCapFactor: number;
  /** 24 hours of distinct patients beyond this multiple of the account's high day for the weekday. */
  dayFactor: number;
  /** One hour of distinct patients beyond this share of the high day (never below `hourFloor`). */
  hourShare: number;
  hourFloor: number;
  /** Distinct misses in an hour beyond this multiple of the usual hourly misses (never below `missFloor`). */
  missFactor: number;
  missFloor: number;
  /** Patients checked in 24 hours and never calculated, beyond this multiple of the account's usual share of its checks (never below `unfollowedFloor`). */
  unfollowedFactor: number;
  unfollowedFloor: number;
  /** Minutes a check waits for its calculation before it counts as never calculated (the dispensing, the quote). */
  calculationGraceMinutes: number;
  /** Patients checked at night (21:00–7:00) in 24 hours, beyond the account's busiest night (never below this floor). */
  offHoursFloor: number;
  /** A signal beyond this fraction of its step-up threshold slows the account down… */
  slowAt: number;
  /** …by this delay per request, for at least `slowMinutes`. */
  slowDelayMs: number;
  slowMinutes: number;
  /** A signal beyond this fraction of its step-up threshold marks the account elevated (platform-wide watch). */
  elevatedAt: number;
  /**
   * An hour of distinct patients beyond this fraction of the account's own hour threshold
   * (with no tightening) counts the account as above its usual: a legitimate counter
   * rarely gets there, a campaign of accounts each kept under 90 % of every threshold does
   * all day. The platform watch counts such accounts against the same hour's usual.
   */
  aboveUsualAt: number;
  /** Requests refused while a step-up is pending before the account is suspended. */
  refusedBeforeSuspension: number;
  /**
   * Step-ups in 24 hours that suspend the account: its holder keeps proving presence while
   * its volume keeps climbing — someone else is using it alongside (a merger's first day
   * takes two). Not while its profession surges platform-wide or a platform alert has
   * tightened its budgets: then climbing is what everyone does, and each step-up passed is
   * the holder at the desk.
   */
  stepUpsBeforeSuspension: number;
  /** Requests of one account in flight at once beyond which the next waits (`SHIELD_SLOW_DOWN`): no human has more desks. */
  concurrentRequests: number;
  /**
   * A software client's per-minute cap of distinct patients, over every professional using
   * it, is its profile's cap times this (two desks at full pace). Beyond it the software is
   * suspended for all of them: one stolen key, one budget, whichever professionals it names.
   */
  clientMinuteFactor: number;
  /**
   * A site's (every key and session of it) and a network's (an address prefix) per-minute
   * caps, as that many desks of the profession at full pace. Beyond, the request waits for
   * the next minute (429): a crowd is slowed, nobody is suspended for it.
   */
  siteMinuteFactor: number;
  networkMinuteFactor: number;
  /** Days without use after which an account is closed. */
  dormantDays: number;
  /** After a step-up is passed, each threshold is raised to at least the account's count then times this, for `raisedDays`. */
  raisedFactor: number;
  raisedDays: number;
  /** Platform alert: accounts elevated in the last six hours beyond max(floor, usual mean + sigmas × standard deviation at that hour). */
  platformElevatedFloor: number;
  platformElevatedSigmas: number;
  /** Platform alert: accounts above their usual in the last two hours beyond max(floor, usual mean + sigmas × standard deviation at that hour). */
  platformAboveFloor: number;
  platformAboveSigmas: number;
  /** Platform alert: distinct people disclosed platform-wide in the last hour beyond the busiest such hour of four weeks times this (never lifted by a surge: an attack makes its own). */
  platformPeopleFactor: number;
  /** Platform alert: misses in the last hour beyond max(floor, usual mean + sigmas × standard deviation). */
  platformMissFloor: number;
  platformMissSigmas: number;
  /**
   * Platform alert: yesterday's drift score (drift.ts) beyond the usual days' mean by this
   * many standard deviations (never taken below 1), or their cumulative sum beyond
   * `platformDriftCumulative`. Chance alone alerts about twice a year at 2.5 and 3.
   */
  platformDriftSigmas: number;
  platformDriftCumulative: number;
  /**
   * An account alert: yesterday's engagements due an invoice (`invoiceDelays`) left without
   * one beyond the account's own usual share by this many Poisson standard deviations. The
   * same day pooled over the platform is judged like the drift, on the two thresholds above.
   */
  uninvoicedAccountSigmas: number;
  /** Budgets of the accounts involved in a platform alert are multiplied by this, for `tightenHours`. */
  tightenFactor: number;
  tightenHours: number;
}

export const defaultThresholds: ShieldThresholds = {
  minuteCapFactor: 1,
  dayFactor: 1.25,
  hourShare: 0.35,
  hourFloor: 20,
  missFactor: 4,
  missFloor: 8,
  unfollowedFactor: 1.25,
  unfollowedFloor: 15,
  calculationGraceMinutes: 10,
  offHoursFloor: 8,
  slowAt: 0.9,
  slowDelayMs: 800,
  slowMinutes: 15,
  elevatedAt: 0.9,
  aboveUsualAt: 0.6,
  refusedBeforeSuspension: 20,
  stepUpsBeforeSuspension: 3,
  concurrentRequests: 6,
  clientMinuteFactor: 2,
  siteMinuteFactor: 4,
  networkMinuteFactor: 10,
  dormantDays: 90,
  raisedFactor: 2,
  raisedDays: 7,
  platformElevatedFloor: 10,
  platformElevatedSigmas: 4,
  platformAboveFloor: 15,
  platformAboveSigmas: 4,
  platformPeopleFactor: 1.5,
  platformMissFloor: 200,
  platformMissSigmas: 4,
  platformDriftSigmas: 2.5,
  platformDriftCumulative: 3,
  uninvoicedAccountSigmas: 6,
  tightenFactor: 0.5,
  tightenHours: 24,
};

/**
 * Days after an engagement (the check) by which its profession has usually sent the
 * invoice: past them, an engagement no invoice names counts as never invoiced. Our own
 * judgement of the trade's habits, not a rule of the Assurance Maladie; each errs long, as
 * a delay too short flags honest late billers, one too long only delays the signal.
 */
export const invoiceDelays: Readonly<Record<Profile, number>> = {
  // The dispensing is invoiced with its FSE the same day, a few the next morning.
  pharmacy: 2,
  // A consultation's FSE is sent the same day; some practices send theirs in weekly batches.
  physician: 8,
  // Analyses are invoiced once the results are out: a few days, a week for long cultures.
  laboratory: 7,
  // Nurses often invoice a series of visits at its end (a fortnight of daily care).
  nurse: 15,
  // Fillings the same day; a crown or a prosthesis weeks after the quote, at fitting.
  dentist: 45,
  // Glasses are invoiced at delivery, one to three weeks after the prescription's check.
  optician: 30,
  // Hearing aids are invoiced at the end of a trial of at least thirty days.
  audiologist: 60,
  // A stay is invoiced at discharge: most are short, some last weeks.
  hospital: 30,
  other: 15,
};

export interface ShieldConfig {
  enabled: boolean;
  thresholds: ShieldThresholds;
}

/** REMPART_SHIELD=off turns the shield off (benchmarks of its cost only); thresholds from REMPART_SHIELD_THRESHOLDS. */
export function shieldConfigFromEnv(env: NodeJS.ProcessEnv): ShieldConfig {
  const file = env.REMPART_SHIELD_THRESHOLDS;
  return { enabled: env.REMPART_SHIELD !== 'off', thresholds: file ? thresholdsFrom(readFileSync(file, 'utf8')) : defaultThresholds };
}

/** Overrides read from JSON: known names, positive finite numbers only. */
export function thresholdsFrom(json: string): ShieldThresholds {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new RempartError('SHIELD_THRESHOLDS_INVALID', 'JSON illisible');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new RempartError('SHIELD_THRESHOLDS_INVALID', 'objet attendu');
  const result: ShieldThresholds = { ...defaultThresholds };
  for (const [name, value] of Object.entries(parsed)) {
    if (!(name in defaultThresholds)) throw new RempartError('SHIELD_THRESHOLDS_INVALID', `seuil inconnu : ${name}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RempartError('SHIELD_THRESHOLDS_INVALID', `${name} : nombre positif attendu`);
    result[name as keyof ShieldThresholds] = value;
  }
  // The grace is a window the counters read: an hour at most.
  if (result.calculationGraceMinutes > 60) throw new RempartError('SHIELD_THRESHOLDS_INVALID', 'calculationGraceMinutes : 60 au plus');
  return result;
}
