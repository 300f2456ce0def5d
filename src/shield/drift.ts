import { LEARNING_DAYS } from './baseline.js';

/**
 * A slow campaign (A4 in THREATS.md) adds to each stolen account a fifth of its day, never
 * calculated: within one account's day that is chance, across fifty accounts it is not.
 * Once a day the platform weighs every account's finished day against its own usual share
 * of checks left without a calculation, and sums the evidence.
 */

/** What one finished day says about the platform. */
export interface DayDrift {
  /** Local day, YYYY-MM-DD. */
  day: string;
  /** Accounts active that day. */
  accounts: number;
  /**
   * Checks left uncalculated beyond every account's own usual, summed over the platform,
   * in Poisson standard deviations of that sum: about a standard normal when nobody
   * drifts. Pooled rather than averaged, as a campaign adds to each account in proportion
   * to its day: a pharmacy's extra fifty weigh more than a physician's extra six.
   */
  score: number;
  /** Accounts whose own z is beyond `DRIFTING_Z`, most drifted first: those an alert tightens. */
  drifting: number[];
}

/** An account's day this many Poisson standard deviations above its usual counts as drifting. */
export const DRIFTING_Z = 2;
/** One account weighs at most this many of its standard deviations: a single broken account is the per-account rules' business. */
const MAX_Z = 10;

/** One account's finished day, and the share of its patients it usually leaves uncalculated (learned from its days before). */
export interface AccountDay {
  account: number;
  distinct: number;
  unfollowed: number;
  usualShare: number;
  /** Active days the share was learned from. */
  learnedDays: number;
}

/** An account's finished day against its usual share: what it left uncalculated beyond it, its variance, in how many standard deviations. */
export interface AccountDrift {
  excess: number;
  variance: number;
  z: number;
}

/**
 * How far an account's day left more checks uncalculated than its usual share predicts:
 * excess = unfollowed − share × patients, in Poisson standard deviations √(expected + 1).
 */
export function accountDrift(day: Pick<AccountDay, 'distinct' | 'unfollowed' | 'usualShare'>): AccountDrift {
  const expected = day.usualShare * day.distinct;
  const variance = expected + 1;
  const excess = Math.min(MAX_Z * Math.sqrt(variance), day.unfollowed - expected);
  return { excess, variance, z: excess / Math.sqrt(variance) };
}

/** The platform's drift on `day`, from the finished day of every account active then. */
export function platformDrift(accountDays: readonly AccountDay[], day: string): DayDrift {
  let [excess, variance] = [0, 0];
  const scored: [number, number][] = [];
  for (const accountDay of accountDays) {
    // An account still on the prior's fifth (new, or the platform's first days) would weigh
    // its guess, not its usual: a young access log once scored −64 and blinded the drift.
    if (accountDay.distinct === 0 || accountDay.learnedDays < LEARNING_DAYS) continue;
    const drift = accountDrift(accountDay);
    excess += drift.excess;
    variance += drift.variance;
    scored.push([accountDay.account, drift.z]);
  }
  const drifting = scored.filter(([, z]) => z > DRIFTING_Z).sort((a, b) => b[1] - a[1]).map(([account]) => account);
  return { day, accounts: scored.length, score: variance === 0 ? 0 : excess / Math.sqrt(variance), drifting };
}
