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
  /** Patients disclosed in 24 hours and never calculated. */
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

/** What an account's thresholds depend on, beyond its own counts. */
export interface RuleContext {
  profile: Profile;
  baseline: Baseline;
  weekday: number;
  /** This profile's platform-wide volume against its usual (≥ 1): an epidemic lifts every pharmacy, an attacker one account. */
  surge: number;
  /** Whether the account is involved in a platform alert: its budgets are tightened. */
  tightened: boolean;
  /** A high day granted when the account passed a step-up (a merger, a new colleague), 0 if none. */
  raisedDay: number;
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
}

/** The step-up threshold of each guarded signal for an account in its context. */
export function thresholdsFor(context: RuleContext, t: ShieldThresholds): Record<GuardedSignal, number> {
  const { baseline, surge } = context;
  const tighten = context.tightened ? t.tightenFactor : 1;
  const prior = priors[context.profile];
  const highDay = Math.max(baseline.highDay[context.weekday] ?? baseline.typicalDay, context.raisedDay) * surge;
  const offHoursUsual = prior.roundTheClock ? Infinity : 3 * baseline.offHoursPerDay;
  return {
    minute: prior.minuteCap * t.minuteCapFactor * tighten,
    hour: Math.max(t.hourFloor, t.hourShare * highDay) * tighten,
    day: t.dayFactor * highDay * tighten,
    // Misses cluster in opening hours; a tenth of the day's usual misses is a generous hour.
    missesHour: Math.max(t.missFloor, (t.missFactor * baseline.missesPerDay) / 10) * tighten,
    unfollowedDay: Math.max(t.unfollowedFloor, t.unfollowedFactor * baseline.unfollowedPerDay * surge) * tighten,
    offHoursDay: Math.max(t.offHoursFloor, offHoursUsual) * tighten,
  };
}

/** Pure: the same signals in the same context always give the same assessment. */
export function assess(signals: Signals, context: RuleContext, t: ShieldThresholds): Assessment {
  const thresholds = thresholdsFor(context, t);
  const assessment: Assessment = { stepUp: [], slow: [], elevated: [] };
  for (const signal of guardedSignals) {
    const finding = { signal, value: signals[signal], threshold: round(thresholds[signal]) };
    if (finding.value > thresholds[signal]) assessment.stepUp.push(finding);
    else if (finding.value > t.slowAt * thresholds[signal]) assessment.slow.push(finding);
    if (finding.value > t.elevatedAt * thresholds[signal]) assessment.elevated.push(finding);
  }
  return assessment;
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : value;
}
