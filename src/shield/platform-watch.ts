import type { ShieldThresholds } from './config.js';
import { MINUTE_MS } from './counters/index.js';
import { PEOPLE_KEY, volumeTotal } from './counting.js';
import { DailyDrifts, type DriftFound, type DriftSignal, type PlatformHistory, type UninvoicedEvidence } from './daily-drift.js';
import { HOUR_MS } from '../domain/dates.js';
import { localTime } from './local-time.js';
import { profiles, type Profile } from './profile.js';
import { deviation, keep as push, mean, round1 } from './statistics.js';
import type { ShieldStore } from './store.js';

export type { PlatformHistory } from './daily-drift.js';

/** Samples kept per hour of the day to learn what is usual at that hour: four weeks. */
const SAMPLES_KEPT = 28;
/** Samples needed before the usual of an hour is trusted (three days); until then floors alone decide. */
const SAMPLES_NEEDED = 3;
/**
 * A profile's hourly volume below this is too thin to tell an epidemic from chance (or
 * from one attacker on a rare profile, who must not raise his own budgets).
 */
const SURGE_MIN_USUAL = 100;
/**
 * A cause already alerted is not alerted again for six hours unless it doubles: one attack,
 * one alert. Each cause (signal) on its own: an attacker's decoy on one cause (a burst of
 * misses) never silences another (accounts rising together).
 */
const ALERT_QUIET_MS = 6 * HOUR_MS;
const ALERT_AGAIN_FACTOR = 2;
/**
 * Accounts elevated over this window count together: a slow campaign's accounts drift
 * above their normal at different hours of the same day.
 */
const ELEVATED_WINDOW_MS = 6 * HOUR_MS;
/** Accounts above their usual count over two hours: a campaign is above its usual every hour, a busy counter for one. */
const ABOVE_WINDOW_MS = 2 * HOUR_MS;
/** The platform's hourly people below this usual are too few to compare. */
const PEOPLE_MIN_USUAL = 100;

export interface PlatformFinding {
  signal: 'elevatedAccounts' | 'aboveUsualAccounts' | 'peopleHour' | 'missesHour' | DriftSignal;
  value: number;
  threshold: number;
}

/** The figures of one platform alert. */
export interface PlatformAlarm {
  findings: PlatformFinding[];
  /** Accounts elevated in the last six hours: their budgets are tightened. */
  accounts: number[];
  /** The uninvoiced days of the accounts a drift of engagements names. */
  evidence: UninvoicedEvidence[];
}

/**
 * What no single account shows (A4 in THREATS.md): many accounts each a little above their
 * own normal, a platform-wide rise in misses. Each instance samples the shared counters once
 * an hour to learn the usual of each hour of the day, and looks at the last hour at most
 * once a minute.
 */
export class PlatformWatch {
  /** Per local hour of the day: evenings hold more elevated accounts than nights. */
  private readonly elevatedSamples: number[][] = Array.from({ length: 24 }, () => []);
  private readonly missSamples: number[][] = Array.from({ length: 24 }, () => []);
  private readonly aboveSamples: number[][] = Array.from({ length: 24 }, () => []);
  /** Distinct people disclosed platform-wide in that hour. */
  private readonly peopleSamples: number[][] = Array.from({ length: 24 }, () => []);
  /** Per profile and local hour of the day: the platform's checks in that hour. */
  private readonly volumeSamples = new Map<Profile, number[][]>(profiles.map((p) => [p, Array.from({ length: 24 }, () => [])]));
  private readonly surges = new Map<Profile, number>();
  /** Every profile's volume together against its usual: misses follow the checks. */
  private overallSurge = 1;
  /** The platform's daily drifts: checks never calculated, engagements never invoiced. */
  private readonly drifts: DailyDrifts | null;
  private checkedDay = '';
  /** Yesterday's drift, found beyond the usual and not yet reported. */
  private driftFound: DriftFound | undefined;
  private sampledHour = -1;
  private lookedMinute = -1;
  private lastAlertAt = -Infinity;
  /** Per cause, when it was last alerted and at what value. */
  private readonly alerted = new Map<PlatformFinding['signal'], { at: number; value: number }>();

  constructor(
    private readonly store: ShieldStore,
    private readonly thresholds: () => ShieldThresholds,
    history: PlatformHistory | null = null,
  ) {
    this.drifts = history === null ? null : new DailyDrifts(history);
  }

  /** This profile's platform-wide volume in the last hour against its usual at that hour, at least 1 (at most 3). */
  surge(profile: Profile): number {
    return this.surges.get(profile) ?? 1;
  }

  /** Whether an alert is open: accounts elevated now join the tightened ones. */
  alerting(nowMs: number): boolean {
    return nowMs - this.lastAlertAt < this.thresholds().tightenHours * HOUR_MS;
  }

  /** Whether `tick` has anything to do: a new hour to sample or a new minute to look at (a check skips the call otherwise). */
  due(nowMs: number): boolean {
    return Math.floor(nowMs / HOUR_MS) !== this.sampledHour || Math.floor(nowMs / MINUTE_MS) !== this.lookedMinute;
  }

  /** Called on every observation that is `due`; does real work once a day (drift), once an hour (learn) and once a minute (look). */
  async tick(nowMs: number): Promise<PlatformAlarm | undefined> {
    const hour = Math.floor(nowMs / HOUR_MS);
    if (hour !== this.sampledHour) {
      this.sampledHour = hour;
      await this.sample(nowMs);
    }
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (minute === this.lookedMinute) return undefined;
    this.lookedMinute = minute;
    const today = localTime(nowMs).day;
    if (this.drifts !== null && today !== this.checkedDay) {
      this.checkedDay = today;
      // Off the request's path: the day's queries read a month of the access log and two of
      // engagements. A failure leaves the day unchecked; the next day checks again.
      void this.drifts.check(today, this.thresholds()).then(
        (drift) => (this.driftFound = drift),
        () => undefined,
      );
    }
    const drift = this.driftFound;
    this.driftFound = undefined;
    return this.look(nowMs, drift);
  }

  private async sample(nowMs: number): Promise<void> {
    // The hour that just ended.
    const previous = nowMs - HOUR_MS;
    const hour = localTime(previous).hour;
    const elevated = this.elevatedSamples[hour] ?? [];
    // An attack must not become the usual; but until the usual is known, every hour is learned.
    if (!this.alerting(nowMs) || elevated.length < SAMPLES_NEEDED) {
      push(elevated, (await this.store.elevatedSince(previous - ELEVATED_WINDOW_MS, previous)).length, SAMPLES_KEPT);
      push(this.aboveSamples[hour] ?? [], (await this.store.elevatedSince(previous - ABOVE_WINDOW_MS, previous, 'above')).length, SAMPLES_KEPT);
      push(this.missSamples[hour] ?? [], await this.store.sumHours('misses', 1, previous), SAMPLES_KEPT);
      // The last sixty minutes: the distinct counters keep only the hour that just ended.
      push(this.peopleSamples[hour] ?? [], await this.peopleHour(nowMs), SAMPLES_KEPT);
    }
    let [volumes, usuals] = [0, 0];
    for (const profile of profiles) {
      const samples = this.volumeSamples.get(profile)?.[hour] ?? [];
      const volume = await this.store.sumHours(volumeTotal(profile), 1, previous);
      const usual = samples.length >= SAMPLES_NEEDED ? median(samples) : 0;
      this.surges.set(profile, surgeOf(volume, usual));
      push(samples, volume, SAMPLES_KEPT);
      volumes += volume;
      usuals += usual;
    }
    this.overallSurge = surgeOf(volumes, usuals);
  }

  private async look(nowMs: number, drift?: DriftFound): Promise<PlatformAlarm | undefined> {
    const t = this.thresholds();
    const elevated = await this.store.elevatedSince(nowMs - ELEVATED_WINDOW_MS, nowMs);
    const above = await this.store.elevatedSince(nowMs - ABOVE_WINDOW_MS, nowMs, 'above');
    const accounts = [...new Set([...(drift?.accounts ?? []), ...elevated, ...above])];
    const misses = await this.store.sumHours('misses', 1, nowMs);
    const findings: PlatformFinding[] = drift ? [...drift.findings] : [];
    const hour = localTime(nowMs).hour;
    const elevatedThreshold = Math.max(t.platformElevatedFloor, usual(this.elevatedSamples[hour] ?? [], t.platformElevatedSigmas));
    if (elevated.length > elevatedThreshold) findings.push({ signal: 'elevatedAccounts', value: elevated.length, threshold: round1(elevatedThreshold) });
    // Never below the most seen at this hour in four weeks: a Monday morning is not a campaign.
    const aboveSamples = this.aboveSamples[hour] ?? [];
    const aboveThreshold = Math.max(t.platformAboveFloor, usual(aboveSamples, t.platformAboveSigmas), ...aboveSamples);
    if (above.length > aboveThreshold) findings.push({ signal: 'aboveUsualAccounts', value: above.length, threshold: round1(aboveThreshold) });
    // Against the busiest such hour of four weeks (Mondays, an epidemic's peak), not the median
    // one. The last sixty minutes straddle two clock hours: at 19:05 they are mostly the busy
    // 18 h, when pharmacies close at 19:30; so the busier of the two hours is the usual.
    const [busiest, before] = [this.busiestPeople(hour), this.busiestPeople(localTime(nowMs - HOUR_MS).hour)];
    const peopleUsual = busiest === undefined || before === undefined ? 0 : Math.max(busiest, before);
    const peopleNow = peopleUsual >= PEOPLE_MIN_USUAL ? await this.peopleHour(nowMs) : 0;
    if (peopleNow > t.platformPeopleFactor * peopleUsual && peopleUsual >= PEOPLE_MIN_USUAL) findings.push({ signal: 'peopleHour', value: peopleNow, threshold: round1(t.platformPeopleFactor * peopleUsual) });
    // An epidemic brings more checks, hence more misses: a leaked list brings misses alone.
    const missThreshold = Math.max(t.platformMissFloor, usual(this.missSamples[hour] ?? [], t.platformMissSigmas) * this.overallSurge);
    if (misses > missThreshold) findings.push({ signal: 'missesHour', value: misses, threshold: round1(missThreshold) });
    const fresh = findings.filter((f) => this.news(f, nowMs));
    if (fresh.length === 0) return undefined;
    // One account's billing stopping is that account's alert: it does not put the platform on
    // alert, which would tighten every account elevated for a day.
    if (fresh.some((f) => f.signal !== 'uninvoicedAccounts')) this.lastAlertAt = nowMs;
    for (const f of fresh) this.alerted.set(f.signal, { at: nowMs, value: f.value });
    return { findings: fresh, accounts, evidence: drift?.evidence ?? [] };
  }

  /** The most people seen at this hour of the day in four weeks; unknown until enough were seen. */
  private busiestPeople(hour: number): number | undefined {
    const people = this.peopleSamples[hour] ?? [];
    return people.length >= SAMPLES_NEEDED ? Math.max(...people) : undefined;
  }

  /** Distinct people disclosed platform-wide in the hour ending at `nowMs`. */
  private async peopleHour(nowMs: number): Promise<number> {
    const [count = 0] = await this.store.observe([], [{ key: PEOPLE_KEY, windowMs: HOUR_MS }], nowMs);
    return count;
  }

  /** A cause not alerted in the last six hours, or grown to twice what was alerted. */
  private news(finding: PlatformFinding, nowMs: number): boolean {
    const last = this.alerted.get(finding.signal);
    return last === undefined || nowMs - last.at >= ALERT_QUIET_MS || finding.value >= ALERT_AGAIN_FACTOR * last.value;
  }
}

/** A volume against its usual, at least 1 and at most 3; 1 while the usual is too thin to tell. */
function surgeOf(volume: number, usual: number): number {
  return usual >= SURGE_MIN_USUAL ? Math.min(3, Math.max(1, volume / usual)) : 1;
}

/** Mean plus `sigmas` standard deviations of the samples, 0 until there are enough. */
function usual(samples: readonly number[], sigmas: number): number {
  if (samples.length < SAMPLES_NEEDED) return 0;
  return mean(samples) + sigmas * deviation(samples);
}


function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
