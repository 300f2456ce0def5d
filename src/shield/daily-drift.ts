import { LEARNING_DAYS } from './baseline.js';
import type { ShieldThresholds } from './config.js';
import { addDays, type CalendarDate } from '../domain/dates.js';
import { accountDrift, platformDrift, type AccountDay, type DayDrift } from './drift.js';
import { deviation, keep, mean, round1 } from './statistics.js';

/** Every account's finished days, as the access log and the engagements hold them (the simulation's history in the simulator). */
export interface PlatformHistory {
  /** Every account active on the local day `day`, with its usual share learned from its days before. */
  accountDays(day: string): Promise<AccountDay[]>;
  /**
   * For each local day from `from` to `to`, every account with engagements fallen due that
   * day (invoice-days.ts), with its usual share left uninvoiced; none: that drift is off.
   */
  uninvoicedDays?(from: CalendarDate, to: CalendarDate): Promise<Map<CalendarDate, AccountDay[]>>;
}

export type DriftSignal = 'driftScore' | 'driftCumulative' | 'uninvoicedScore' | 'uninvoicedCumulative' | 'uninvoicedAccounts';

export interface DriftFinding {
  signal: DriftSignal;
  value: number;
  threshold: number;
}

/** What an alert shows of one account's uninvoiced day (French keys, as the console reads them). */
export interface UninvoicedEvidence {
  compte: number;
  jour: string;
  engagementsEchus: number;
  sansFacture: number;
  /** The share it usually leaves without an invoice, in percent. */
  partHabituelle: number;
  ecartsTypes: number;
}

/** A day that drifted: its findings, the accounts that drifted most, and the uninvoiced days of those accounts. */
export interface DriftFound {
  findings: DriftFinding[];
  accounts: number[];
  evidence: UninvoicedEvidence[];
}

/** Days of drift scores that make the usual, and the fewest trusted. */
const DAYS_KEPT = 28;
const DAYS_NEEDED = 7;
/** Days of drift learned at once when an instance starts (each weighed against the 28 before it). */
const BACKFILL = 14;
/**
 * The cumulative sum (CUSUM) keeps what each day is above its usual beyond half a standard
 * deviation: a campaign too slow to show in one day shows over two or three.
 */
const CUSUM_SLACK = 0.5;

/**
 * One daily drift (checks never calculated, engagements never invoiced): the scores of its
 * usual days and its cumulative sum, each finished day judged against them.
 */
export class DriftTrack {
  private readonly scores: number[] = [];
  private cumulative = 0;

  constructor(private readonly signals: { score: DriftSignal; cumulative: DriftSignal }) {}

  /** Nothing learned yet: an instance starting learns the days before first. */
  get empty(): boolean {
    return this.scores.length === 0;
  }

  /** A past day, learned as usual; a day without a single learned account (the platform's first weeks) has no score to learn. */
  learn(drift: DayDrift): void {
    if (drift.accounts > 0) keep(this.scores, drift.score, DAYS_KEPT);
  }

  /** Yesterday's score against the usual days (beyond `platformDriftSigmas`), and the cumulative sum (beyond `platformDriftCumulative`). */
  judge(drift: DayDrift, t: ShieldThresholds): DriftFinding[] {
    if (drift.accounts === 0) return [];
    if (this.scores.length < DAYS_NEEDED) {
      keep(this.scores, drift.score, DAYS_KEPT);
      return [];
    }
    // The score is about a standard normal: its spread is never taken below one.
    const deviations = (drift.score - mean(this.scores)) / Math.max(1, deviation(this.scores));
    this.cumulative = Math.max(0, this.cumulative + deviations - CUSUM_SLACK);
    const findings: DriftFinding[] = [];
    if (deviations > t.platformDriftSigmas) findings.push({ signal: this.signals.score, value: round1(deviations), threshold: t.platformDriftSigmas });
    if (this.cumulative > t.platformDriftCumulative) findings.push({ signal: this.signals.cumulative, value: round1(this.cumulative), threshold: t.platformDriftCumulative });
    if (findings.length === 0) {
      // A day is learned as usual only while no drift is building up.
      if (this.cumulative === 0) keep(this.scores, drift.score, DAYS_KEPT);
      return [];
    }
    this.cumulative = 0;
    return findings;
  }
}

/**
 * The platform's two daily drifts (A4 in THREATS.md): checks never calculated, from the
 * access log, and engagements never invoiced within their profession's delay. The second
 * is what an attacker cannot silence by calculating every check: he would have to invoice
 * care that never happened, under his own name.
 */
export class DailyDrifts {
  private readonly calculated = new DriftTrack({ score: 'driftScore', cumulative: 'driftCumulative' });
  private readonly uninvoiced = new DriftTrack({ score: 'uninvoicedScore', cumulative: 'uninvoicedCumulative' });

  constructor(private readonly history: PlatformHistory) {}

  /** Once a local day: yesterday's drifts against the usual of the days before. */
  async check(today: CalendarDate, t: ShieldThresholds): Promise<DriftFound | undefined> {
    const yesterday = addDays(today, -1);
    // An instance starting learns the usual from the days before, one day's query at a time.
    for (const day of this.calculated.empty ? learnedAtStart(today) : []) this.calculated.learn(platformDrift(await this.history.accountDays(day), day));
    const drift = platformDrift(await this.history.accountDays(yesterday), yesterday);
    const findings = this.calculated.judge(drift, t);
    const accounts = findings.length > 0 ? drift.drifting : [];
    // The engagements' drift apart: its failure leaves the checks' drift standing.
    const invoices = await this.checkInvoices(today, t).catch(() => undefined);
    if (invoices === undefined) return findings.length > 0 ? { findings, accounts, evidence: [] } : undefined;
    return { findings: [...findings, ...invoices.findings], accounts: [...new Set([...accounts, ...invoices.accounts])], evidence: invoices.evidence };
  }

  /**
   * Yesterday's engagements fallen due without an invoice: pooled over the platform like the
   * checks never calculated, and each learned account on its own beyond
   * `uninvoicedAccountSigmas` (one account's billing stopping is an alert too: no live
   * counter sees it). The days an instance learns at start come in one read.
   */
  private async checkInvoices(today: CalendarDate, t: ShieldThresholds): Promise<DriftFound | undefined> {
    if (this.history.uninvoicedDays === undefined) return undefined;
    const yesterday = addDays(today, -1);
    const byDay = await this.history.uninvoicedDays(this.uninvoiced.empty ? (learnedAtStart(today)[0] ?? yesterday) : yesterday, yesterday);
    for (const [day, accountDays] of byDay) if (day < yesterday) this.uninvoiced.learn(platformDrift(accountDays, day));
    const accountDays = byDay.get(yesterday) ?? [];
    const drift = platformDrift(accountDays, yesterday);
    const pooled = this.uninvoiced.judge(drift, t);
    const alone = accountDays.filter((d) => d.learnedDays >= LEARNING_DAYS && accountDrift(d).z > t.uninvoicedAccountSigmas).map((d) => d.account);
    const findings: DriftFinding[] = alone.length > 0 ? [...pooled, { signal: 'uninvoicedAccounts', value: alone.length, threshold: t.uninvoicedAccountSigmas }] : pooled;
    if (findings.length === 0) return undefined;
    const accounts = new Set([...(pooled.length > 0 ? drift.drifting : []), ...alone]);
    const evidence = accountDays.filter((d) => accounts.has(d.account)).map((d) => evidenceOf(d, yesterday));
    return { findings, accounts: [...accounts], evidence };
  }
}

/** The days an instance starting learns, oldest first: from 14 days back to the day before yesterday. */
function learnedAtStart(today: CalendarDate): CalendarDate[] {
  return Array.from({ length: BACKFILL - 1 }, (_, i) => addDays(today, i - BACKFILL));
}

function evidenceOf(day: AccountDay, on: CalendarDate): UninvoicedEvidence {
  const z = accountDrift(day).z;
  return { compte: day.account, jour: on, engagementsEchus: day.distinct, sansFacture: day.unfollowed, partHabituelle: round1(100 * day.usualShare), ecartsTypes: round1(z) };
}

/** The engagements fallen due without an invoice in an alert's summary, in words; nothing when it names none. */
export function uninvoicedWords(evidence: readonly UninvoicedEvidence[]): string {
  const due = evidence.reduce((total, e) => total + e.engagementsEchus, 0);
  const left = evidence.reduce((total, e) => total + e.sansFacture, 0);
  return due === 0 ? '' : ` ; engagements sans facture dans le délai de la profession : ${left} sur ${due}, pour ${evidence.length} compte${evidence.length > 1 ? 's' : ''}`;
}
