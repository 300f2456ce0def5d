import { HOUR_MS } from '../../domain/dates.js';
import type { ActivitySource, BaselineSource } from '../engine.js';
import type { AccountDay } from '../drift.js';
import type { PlatformHistory } from '../platform-watch.js';
import { learnBaseline, type Baseline, type DaySummary } from '../baseline.js';
import { localTime } from '../local-time.js';
import type { Profile } from '../profile.js';
import { dayStartMs, type Population } from './population.js';

/** The baseline's 28 days, the day the platform's drift weighs against them, and the 14 days of drift an instance learns at start. */
const KEPT = 28 + 1 + 14;

/**
 * What the server reads from its access log, kept by the simulator: one DaySummary per
 * account and active day, written at the end of each simulated day from exact tallies.
 */
export class History implements BaselineSource, PlatformHistory {
  private readonly rows: DaySummary[][];
  private readonly cache: ({ day: string; baseline: Baseline } | undefined)[];

  constructor(accounts: number, rows?: DaySummary[][]) {
    this.rows = rows ?? Array.from({ length: accounts }, () => []);
    this.cache = new Array<undefined>(accounts);
  }

  add(account: number, summary: DaySummary): void {
    const rows = this.rows[account];
    if (!rows) return;
    rows.push(summary);
    if (rows.length > KEPT) rows.shift();
  }

  /** A copy holding the rows of days before `day` (YYYY-MM-DD): a fresh run starting that day. */
  before(day: string): History {
    return new History(
      this.rows.length,
      this.rows.map((rows) => rows.filter((r) => r.day < day)),
    );
  }

  lastDay(account: number): string | null {
    const rows = this.rows[account];
    return rows?.[rows.length - 1]?.day ?? null;
  }

  accountDays(day: string): Promise<AccountDay[]> {
    const found: AccountDay[] = [];
    this.rows.forEach((rows, account) => {
      const today = rows.find((r) => r.day === day);
      if (!today) return;
      const usual = learnBaseline(rows.filter((r) => r.day < day), 'other');
      found.push({ account: 100_000 + account, distinct: today.distinct, unfollowed: today.unfollowed, usualShare: usual.unfollowedShare, learnedDays: usual.activeDays });
    });
    return Promise.resolve(found);
  }

  /** The account's baseline as the server would learn it today, cached per account and day. */
  baselineOf(professionalId: number, profile: Profile, nowMs: number): Promise<Baseline> {
    return Promise.resolve(this.baselineNow(professionalId - 100_000, profile, nowMs));
  }

  baselineNow(account: number, profile: Profile, nowMs: number): Baseline {
    const day = localTime(nowMs).day;
    const cached = this.cache[account];
    if (cached?.day === day) return cached.baseline;
    const baseline = learnBaseline(this.rows[account] ?? [], profile);
    this.cache[account] = { day, baseline };
    return baseline;
  }
}

/** Last day of use per account, as the directory of sessions would know it. */
export class Activity implements ActivitySource {
  private readonly lastSeen: (string | null)[];

  /** Established accounts were in use the day before the simulation; new sites' accounts never were; dormant ones long ago. */
  constructor(population: Population, history: History) {
    const eve = localTime(dayStartMs(-1) + 12 * HOUR_MS).day;
    this.lastSeen = population.accounts.map((account) => {
      const site = population.sites[account.site];
      return history.lastDay(account.index) ?? account.dormantSince ?? (site && site.openDay === 0 ? eve : null);
    });
  }

  touch(professionalId: number, day: string): Promise<string | null> {
    return Promise.resolve(this.touchNow(professionalId - 100_000, day));
  }

  touchNow(account: number, day: string): string | null {
    const previous = this.lastSeen[account] ?? null;
    this.lastSeen[account] = day;
    return previous;
  }
}
