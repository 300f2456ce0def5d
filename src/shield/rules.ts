import type { Baseline } from './baseline.js';
import type { ShieldThresholds } from './config.js';
import { priors, type Profile } from './profile.js';

/** The values the shield watches for one account, at one moment. */
export interface Signals {
  /** Distinct patients disclosed in the last minute, hour, 24 hours. */
  minute: number;
  hour: number;
  day: number;
  /** Distinct failed checks (no rights found) in the last hour. */
  missesHour: number;
  /** Patients disclosed in 24 hours, more than the calculation's grace ago, and never calculated. */
  unfollowedDay: number;
  /** Patients disclosed off hours in 24 hours. */
  offHoursDay: number;
  /** Distinct insurers of the patients disclosed in 24 hours. */
  insurersDay: number;
  /** Distinct networks and devices (DPoP keys, browsers) the account used in 24 hours. */
  networksDay: number;
  devicesDay: number;
}

/** Signals shown to the security team beside the guarded ones, without a threshold of their own (see README). */
export const shownSignals = ['insurersDay', 'networksDay', 'devicesDay'] as const;

/** The signals that carry a threshold. */
export const guardedSignals = ['minute', 'hour', 'day', 'missesHour', 'unfollowedDay', 'offHoursDay'] as const;
export type GuardedSignal = (typeof guardedSignals)[number];

/**
 * The budgets a platform alert tightens: volumes over hours and days, where a slow
 * campaign hides. The minute cap is a human's pace, and misses follow the day's volume.
 */
const tightenedSignals: ReadonlySet<GuardedSignal> = new Set(['hour', 'day', 'unfollowedDay', 'offHoursDay']);

/** What an account's thresholds depend on, beyond its own counts. */
export interface RuleContext {
  profile: Profile;
  baseline: Baseline;
  weekday: number;
  /** This profile's platform-wide volume against its usual (≥ 1): an epidemic lifts every pharmacy, an attacker one account. */
  surge: number;
  /** Whether the account is involved in a platform alert: its budgets are tightened. */
  tightened: boolean;
  /** Thresholds granted when the account passed a step-up (a merger, a new colleague): its counts then, with room. */
  raised: Partial<Record<GuardedSignal, number>>;
}

export interface Finding {
  signal: GuardedSignal;
  value: number;
  threshold: number;
}

/** Each signal against its step-up threshold: beyond it, step-up; near it, slow down; a little below, elevated. */
export interface Assessment {
  stepUp: Finding[];
  slow: Finding[];
  elevated: Finding[];
  /** An hour well above the account's own usual, far from its thresholds: alone it is nothing, fifty at once are a campaign. */
  above: Finding[];
}

/** A count this far above its expectation is not chance: three Poisson standard deviations. */
const margin = (expected: number): number => expected + 3 * Math.sqrt(expected);

/**
 * The step-up threshold of each guarded signal for an account in its context. `day` is
 * the account's current 24-hour count: the checks it may leave without a calculation are
 * a share of the checks it made (busy days leave more, a scraper leaves all of them).
 */
export function thresholdsFor(context: RuleContext, t: ShieldThresholds, day: number): Record<GuardedSignal, number> {
  const { baseline } = context;
  const prior = priors[context.profile];
  // The 23-hour window spans yesterday's end and today: either day's high may be in it.
  const yesterday = (context.weekday + 6) % 7;
  const highDay = Math.max(baseline.highDay[context.weekday] ?? 0, baseline.highDay[yesterday] ?? 0, baseline.typicalDay) * context.surge;
  // Checks never calculated are a difference of two distinct counts: beyond their exact
  // range (128) each carries HyperLogLog's error; three standard errors of the difference
  // (1.6 % each, in process) keep that noise from passing for a scraper.
  const unfollowed = baseline.unfollowedShare * day;
  const countingNoise = day > 128 ? 0.07 * day : 0;
  const own: Record<GuardedSignal, number> = {
    minute: prior.minuteCap * t.minuteCapFactor,
    hour: Math.max(t.hourFloor, t.hourShare * highDay),
    day: Math.max(t.dayFactor * highDay, margin(highDay)),
    // Misses cluster in opening hours; a tenth of the day's usual misses is a generous hour.
    // They follow the volume: an epidemic that doubles the checks doubles the misses.
    missesHour: Math.max(t.missFloor, (t.missFactor * baseline.missesPerDay * context.surge) / 10),
    unfollowedDay: Math.max(t.unfollowedFloor, margin(t.unfollowedFactor * unfollowed) + countingNoise),
    offHoursDay: prior.roundTheClock ? Infinity : Math.max(t.offHoursFloor, margin(t.dayFactor * baseline.offHoursHigh)),
  };
  // A platform alert tightens the account's own budgets, not what a person granted by proving presence.
  // (A plain loop: this runs twice per disclosure.)
  for (const s of guardedSignals) own[s] = Math.max(own[s] * (context.tightened && tightenedSignals.has(s) ? t.tightenFactor : 1), context.raised[s] ?? 0);
  return own;
}

/**
 * Pure: the same signals in the same context always give the same assessment. Elevated is
 * judged against the account's own thresholds, never tightened ones: a platform alert must
 * not feed itself by tightening accounts into looking elevated.
 */
export function assess(signals: Signals, context: RuleContext, t: ShieldThresholds): Assessment {
  const thresholds = thresholdsFor(context, t, signals.day);
  const own = context.tightened ? thresholdsFor({ ...context, tightened: false }, t, signals.day) : thresholds;
  const assessment: Assessment = { stepUp: [], slow: [], elevated: [], above: [] };
  // Findings are made only for what passes a line: this runs twice per disclosure, and most find nothing.
  for (const signal of guardedSignals) {
    const value = signals[signal];
    const threshold = thresholds[signal];
    if (value > threshold) assessment.stepUp.push({ signal, value, threshold: round(threshold) });
    else if (value > t.slowAt * threshold) assessment.slow.push({ signal, value, threshold: round(threshold) });
    if (value > t.elevatedAt * own[signal]) assessment.elevated.push({ signal, value, threshold: round(own[signal]) });
    if (signal === 'hour' && value > t.aboveUsualAt * own[signal]) assessment.above.push({ signal, value, threshold: round(t.aboveUsualAt * own[signal]) });
  }
  return assessment;
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : value;
}
