import { addDays, type CalendarDate } from '../domain/dates.js';
import { usualUnfollowedShare } from './baseline.js';
import { invoiceDelays } from './config.js';
import type { AccountDay } from './drift.js';
import { profileOf, type Profile } from './profile.js';

/**
 * An engagement (a rights check's promise) is followed by an invoice when care happened.
 * A scraper reads rights for care that never happens, and will not invoice it: that would
 * be fraud under his own name. So engagements left without an invoice once their
 * profession's delay ran out are checks that led to no care, and weigh like checks never
 * calculated (drift.ts), without the attacker being able to silence them cheaply.
 */

/** Engagements of one account made on one local day at one kind of site, by when their first invoice came. */
export interface EngagementTally {
  professionalId: number;
  professionCode: string;
  siteKind: string;
  /** Local day (Europe/Paris) the engagement was made. */
  day: CalendarDate;
  /** Days from that day to the first invoice naming the engagement; null: none yet. */
  invoicedAfter: number | null;
  engagements: number;
}

/** One account's engagements whose delay ran out on one day, and those no invoice named in time. */
export interface DueDay {
  due: number;
  uninvoiced: number;
}

/** Per account, per local day: the engagements that fell due that day. */
export type DueDays = Map<number, Map<string, DueDay>>;

/** Days of due engagements an account's usual share is learned from (as the baselines: four weeks). */
export const LEARNED_DAYS = 28;

/** The shortest and longest delays: the engagement days a range of due days needs. */
export function delayRange(delays: Readonly<Record<Profile, number>> = invoiceDelays): { shortest: number; longest: number } {
  const all = Object.values(delays);
  return { shortest: Math.min(...all), longest: Math.max(...all) };
}

/**
 * Each engagement falls due on its day plus its profile's delay (the kind of site first,
 * then the profession, as the shield's profiles): it is uninvoiced unless an invoice came
 * within that delay. An invoice rejected still counts: care was billed, with a name on it.
 */
export function dueDays(tallies: readonly EngagementTally[], delays: Readonly<Record<Profile, number>> = invoiceDelays): DueDays {
  const accounts: DueDays = new Map();
  for (const tally of tallies) {
    const delay = delays[profileOf({ professionCode: tally.professionCode, specialty: null, siteKind: tally.siteKind })];
    const dueOn = addDays(tally.day, delay);
    const days = accounts.get(tally.professionalId) ?? new Map<string, DueDay>();
    accounts.set(tally.professionalId, days);
    const day = days.get(dueOn) ?? { due: 0, uninvoiced: 0 };
    days.set(dueOn, day);
    day.due += tally.engagements;
    if (tally.invoicedAfter === null || tally.invoicedAfter > delay) day.uninvoiced += tally.engagements;
  }
  return accounts;
}

/**
 * Every account with engagements due on `day`, against the share it usually left without
 * an invoice over its due days of the four weeks before (never the day itself): the drift's
 * account days, the uninvoiced in place of the uncalculated.
 */
export function uninvoicedAccountDays(accounts: DueDays, day: CalendarDate): AccountDay[] {
  const found: AccountDay[] = [];
  const first = addDays(day, -LEARNED_DAYS);
  for (const [account, days] of accounts) {
    const today = days.get(day);
    if (today === undefined || today.due === 0) continue;
    let [uninvoiced, due, active] = [0, 0, 0];
    for (const [past, tally] of days) {
      if (past < first || past >= day || tally.due === 0) continue;
      [uninvoiced, due, active] = [uninvoiced + tally.uninvoiced, due + tally.due, active + 1];
    }
    found.push({ account, distinct: today.due, unfollowed: today.uninvoiced, usualShare: usualUnfollowedShare(uninvoiced, due, active), learnedDays: active });
  }
  return found;
}
