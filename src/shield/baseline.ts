import { priors, type Profile } from './profile.js';
import { mean, median, sum } from './statistics.js';

/** One account's day, as the shield learns from it (from the access log on a server, from the simulation in the simulator). */
export interface DaySummary {
  /** Local (Europe/Paris) day, YYYY-MM-DD. */
  day: string;
  weekday: number;
  /** Distinct patients whose rights were disclosed. */
  distinct: number;
  /** Checks that found no rights. */
  misses: number;
  /** Patients checked and never calculated that day. */
  unfollowed: number;
  /** Patients checked off hours. */
  offHours: number;
}

/** What is normal for one account: learned from its own last four weeks, else its profile's prior. */
export interface Baseline {
  /** Days with activity in the history. */
  activeDays: number;
  /** Median distinct patients over active days. */
  typicalDay: number;
  /** Highest day seen on each weekday (index 0 = Sunday), never below the typical day. */
  highDay: readonly number[];
  missesPerDay: number;
  unfollowedPerDay: number;
  /** Share of the patients disclosed that were never calculated (0–1). */
  unfollowedShare: number;
  offHoursPerDay: number;
  /** Most patients checked off hours in one day (a pharmacy's Sunday on duty). */
  offHoursHigh: number;
}

/** Fewer active days than this and the profile's prior still weighs in. */
export const LEARNING_DAYS = 10;
/** A new account is assumed to leave a fifth of its checks without a calculation. */
const PRIOR_UNFOLLOWED_SHARE = 0.2;
const HISTORY_DAYS = 28;

/**
 * The share of its patients an account usually leaves uncalculated, from its active days'
 * sums: learned from ten days on, never below the prior's fifth before (nor with none).
 * The platform's daily drift computes the same sums in SQL (db-sources.ts).
 */
export function usualUnfollowedShare(unfollowed: number, distinct: number, activeDays: number): number {
  if (activeDays === 0) return PRIOR_UNFOLLOWED_SHARE;
  const learned = unfollowed / Math.max(1, distinct);
  return activeDays >= LEARNING_DAYS ? learned : Math.max(learned, PRIOR_UNFOLLOWED_SHARE);
}

/** A profile's prior for an account with no history: a pharmacy at the top of its usual range is not suspect. */
export function priorBaseline(profile: Profile): Baseline {
  const prior = priors[profile];
  const high = prior.typicalDay * 2;
  return {
    activeDays: 0,
    typicalDay: prior.typicalDay,
    highDay: Array<number>(7).fill(high),
    missesPerDay: prior.typicalDay * 0.05,
    unfollowedPerDay: prior.typicalDay * PRIOR_UNFOLLOWED_SHARE,
    unfollowedShare: PRIOR_UNFOLLOWED_SHARE,
    offHoursPerDay: prior.roundTheClock ? prior.typicalDay : 0,
    offHoursHigh: prior.roundTheClock ? high : 0,
  };
}

/**
 * Learns an account's baseline from its last 28 days (older ones are ignored). Until the
 * account has 10 active days the prior keeps the upper hand on each figure, so a new
 * account is neither blocked for working nor free of any budget.
 */
export function learnBaseline(history: readonly DaySummary[], profile: Profile): Baseline {
  const prior = priorBaseline(profile);
  const days = [...history].sort((a, b) => b.day.localeCompare(a.day)).slice(0, HISTORY_DAYS).filter((d) => d.distinct > 0 || d.misses > 0);
  if (days.length === 0) return prior;
  const learned: Baseline = {
    activeDays: days.length,
    typicalDay: median(days.map((d) => d.distinct)),
    highDay: [0, 1, 2, 3, 4, 5, 6].map((w) => Math.max(0, ...days.filter((d) => d.weekday === w).map((d) => d.distinct))),
    missesPerDay: mean(days.map((d) => d.misses)),
    unfollowedPerDay: mean(days.map((d) => d.unfollowed)),
    unfollowedShare: usualUnfollowedShare(sum(days.map((d) => d.unfollowed)), sum(days.map((d) => d.distinct)), days.length),
    offHoursPerDay: mean(days.map((d) => d.offHours)),
    offHoursHigh: Math.max(...days.map((d) => d.offHours)),
  };
  const typicalDay = learned.activeDays >= LEARNING_DAYS ? learned.typicalDay : Math.max(learned.typicalDay, prior.typicalDay);
  const highDay = learned.highDay.map((h, w) => Math.max(h, typicalDay, learned.activeDays >= LEARNING_DAYS ? 0 : prior.highDay[w] ?? 0));
  if (learned.activeDays >= LEARNING_DAYS) return { ...learned, typicalDay, highDay };
  return {
    activeDays: learned.activeDays,
    typicalDay,
    highDay,
    missesPerDay: Math.max(learned.missesPerDay, prior.missesPerDay),
    unfollowedPerDay: Math.max(learned.unfollowedPerDay, prior.unfollowedPerDay),
    unfollowedShare: learned.unfollowedShare,
    offHoursPerDay: Math.max(learned.offHoursPerDay, prior.offHoursPerDay),
    offHoursHigh: Math.max(learned.offHoursHigh, prior.offHoursHigh),
  };
}
