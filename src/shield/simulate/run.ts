import { DAY_MS, HOUR_MS } from '../../domain/dates.js';
import { defaultThresholds, type ShieldThresholds } from '../config.js';
import { MemoryDistinctCounter } from '../counters/index.js';
import type { Alert, Decision, ShieldSink } from '../decisions.js';
import { Shield, type Observation, type Subject } from '../engine.js';
import { localTime, offHours } from '../local-time.js';
import { MemoryShieldStore } from '../store.js';
import { Activity, type History } from './history.js';
import { generateDay, insurerOf, measuredDay, type DayTraffic, type Population } from './population.js';
import { falseAlarmWords, type DayTag } from './words.js';

/** Clean-traffic figures of one measured day. */
export interface DayStats {
  /** Measured day, 1-based. */
  day: number;
  date: string;
  checks: number;
  covered: number;
  misses: number;
  slowed: number;
  /** Step-ups met by legitimate users, and the account-days they fell on. */
  stepUps: number;
  stepUpAccounts: number;
  /** Legitimate checks refused (account closed or suspended). */
  refused: number;
  activeAccounts: number;
  wrongfulSuspensions: number;
  platformAlerts: number;
  /** Accounts whose budgets a platform alert tightened. */
  tightened: number;
}

/** The attacker side of a run: requests interleaved with the legitimate traffic, in time order. */
export interface Attack {
  /** Accounts the attacker holds (their decisions are the attack's, not false alarms). */
  readonly accounts: ReadonlySet<number>;
  /** Called at the start of each simulated day (attackers that plan their day). */
  beginDay(run: Run, day: number): void;
  /** Time of the attacker's next request, Infinity when none. */
  nextTime(): number;
  /** Performs the attacker's next request. */
  step(run: Run): Promise<void>;
  onDecision(run: Run, decision: Decision, suspended: boolean): void;
  onAlert(run: Run, alert: Alert): void;
  /** The attack is over (contained everywhere, or measured): the run may stop. */
  done(): boolean;
}

export interface RunSetup {
  population: Population;
  /** History of the days before `firstDay` (empty for a run from day 0). */
  history: History;
  firstDay: number;
  /** Days before this one only feed the history (the shield is not run), to learn baselines fast. */
  shieldFrom: number;
  /** Exclusive. */
  endDay: number;
  /** Days from this one count in the clean figures. */
  measureFrom: number;
  attack: Attack | null;
  thresholds?: ShieldThresholds;
  /** Called after each day (progress). */
  onDay?: (day: number) => void;
}

/** What one account did today, as the access log would show it. */
interface Tally {
  covered: Set<number>;
  calculated: Set<number>;
  off: Set<number>;
  misses: number;
  checks: number;
}

/**
 * One simulated run: the real `Shield` with its in-memory store, fed with the population's
 * checks in time order on a simulated clock, exactly as the server calls it (gate, then the
 * check, then observe, then calculated when a calculation follows).
 */
export class Run {
  readonly shield: Shield;
  readonly history: History;
  readonly activity: Activity;
  readonly suspended = new Set<number>();
  readonly stats: DayStats[] = [];
  /** Why legitimate accounts met a step-up or a suspension on measured days (the first of each account-day): "action profile signal (context)" → count. */
  readonly falseAlarms = new Map<string, number>();
  readonly platformAlertTimes: number[] = [];
  readonly subjects: Subject[];
  private tallies: (Tally | undefined)[] = [];
  private steppedUp = new Uint8Array(0);
  private alarmed = new Uint8Array(0);
  private today: DayStats | null = null;
  private currentDay = 0;
  private stopped = false;

  constructor(private readonly setup: RunSetup) {
    this.history = setup.history;
    this.activity = new Activity(setup.population, setup.history);
    const sink: ShieldSink = {
      decision: (decision) => Promise.resolve(this.onDecision(decision, false)),
      suspend: (decision) => Promise.resolve(this.onDecision(decision, true)),
      // The simulated population reaches the platform through people's sessions, not software clients.
      suspendClient: (decision) => Promise.resolve(this.onDecision(decision, true)),
      alert: (alert) => Promise.resolve(this.onAlert(alert)),
    };
    // Large enough never to evict: the engine keeps 7 counters per account (a, m, c, o, i, n, d), with room to spare.
    const counters = new MemoryDistinctCounter({ maxKeys: setup.population.accounts.length * 12 + 1000, salt: `simulation-${setup.population.options.seed}` });
    this.shield = new Shield({
      config: { enabled: true, thresholds: setup.thresholds ?? defaultThresholds },
      store: new MemoryShieldStore(counters, setup.population.accounts.length + 1000),
      baselines: this.history,
      platformHistory: this.history,
      activity: this.activity,
      sink,
    });
    this.subjects = setup.population.accounts.map((account) => {
      const site = setup.population.sites[account.site];
      const network = site?.network ?? 'net-0';
      return {
        professionalId: account.professionalId,
        siteId: site?.id ?? 0,
        clientId: account.portal ? null : `lgo-${site?.id ?? 0}`,
        profile: account.profile,
        network,
        device: account.device,
        session: account.portal ? { network, device: account.device, provedAtMs: 0 } : null,
      };
    });
  }

  get population(): Population {
    return this.setup.population;
  }

  get thresholds(): ShieldThresholds {
    return this.setup.thresholds ?? defaultThresholds;
  }

  get day(): number {
    return this.currentDay;
  }

  async run(): Promise<void> {
    for (let day = this.setup.firstDay; day < this.setup.endDay && !this.stopped; day++) {
      await this.runDay(day);
      this.setup.onDay?.(day);
    }
  }

  /** Ends the run at the next event (the attack has been measured). */
  stop(): void {
    this.stopped = true;
  }

  private async runDay(day: number): Promise<void> {
    const traffic = generateDay(this.setup.population, day);
    const withShield = day >= this.setup.shieldFrom;
    await this.beginDay(day, traffic);
    const attack = withShield ? this.setup.attack : null;
    attack?.beginDay(this, day);
    const end = traffic.startMs + DAY_MS;
    const allowed = new Uint8Array(traffic.checks);
    let attackNext = attack?.nextTime() ?? Infinity;
    for (const v of traffic.order) {
      const isCheck = v < traffic.checks;
      const t = isCheck ? (traffic.time[v] ?? 0) : (traffic.calcAt[v - traffic.checks] ?? 0);
      while (attack && attackNext <= t && !this.stopped) {
        await attack.step(this);
        attackNext = attack.nextTime();
        if (attack.done()) this.stop();
      }
      if (this.stopped) return;
      if (isCheck) {
        if (await this.legitCheck(traffic, v, t, withShield)) allowed[v] = 1;
      } else if (allowed[v - traffic.checks] === 1) {
        await this.legitCalculation(traffic, v - traffic.checks, t, withShield);
      }
    }
    while (attack && attackNext < end && !this.stopped) {
      await attack.step(this);
      attackNext = attack.nextTime();
      if (attack.done()) this.stop();
    }
    this.endDay(day, traffic);
  }

  private async beginDay(day: number, traffic: DayTraffic): Promise<void> {
    this.currentDay = day;
    this.tallies = new Array<Tally | undefined>(this.setup.population.accounts.length);
    this.steppedUp = new Uint8Array(this.setup.population.accounts.length);
    this.alarmed = new Uint8Array(this.setup.population.accounts.length);
    this.today = day >= this.setup.measureFrom ? newStats(day, traffic.startMs) : null;
    // A security officer restores a legitimate account suspended yesterday (it is counted as wrongful).
    for (const id of this.suspended) {
      if (this.setup.attack?.accounts.has(id)) continue;
      this.suspended.delete(id);
      await this.shield.restored(id);
    }
  }

  private endDay(day: number, traffic: DayTraffic): void {
    const date = localTime(traffic.startMs + 12 * HOUR_MS);
    let active = 0;
    for (let a = 0; a < this.tallies.length; a++) {
      const tally = this.tallies[a];
      if (!tally) continue;
      active++;
      let unfollowed = 0;
      for (const p of tally.covered) if (!tally.calculated.has(p)) unfollowed++;
      if (tally.covered.size > 0 || tally.misses > 0) {
        this.history.add(a, { day: date.day, weekday: date.weekday, distinct: tally.covered.size, misses: tally.misses, unfollowed, offHours: tally.off.size });
      }
      if (day < this.setup.shieldFrom) this.activity.touchNow(a, date.day);
    }
    if (this.today) {
      this.today.activeAccounts = active;
      this.stats.push(this.today);
    }
  }

  private tally(account: number): Tally {
    let tally = this.tallies[account];
    if (!tally) {
      tally = { covered: new Set(), calculated: new Set(), off: new Set(), misses: 0, checks: 0 };
      this.tallies[account] = tally;
    }
    return tally;
  }

  /** A disclosure or a miss, as the access log records it for the account's day. */
  record(account: number, patient: number, covered: boolean, t: number): void {
    const tally = this.tally(account);
    if (!covered) {
      tally.misses++;
      return;
    }
    tally.covered.add(patient);
    if (offHours(localTime(t))) tally.off.add(patient);
  }

  recordCalculation(account: number, patient: number): void {
    this.tally(account).calculated.add(patient);
  }

  private async legitCheck(traffic: DayTraffic, i: number, t: number, withShield: boolean): Promise<boolean> {
    const account = traffic.account[i] ?? 0;
    const patient = traffic.patient[i] ?? 0;
    const covered = traffic.miss[i] === 0;
    const subject = this.subjects[account] as Subject;
    const tally = this.tally(account);
    const stats = this.today;
    if (stats) stats.checks++;
    if (tally.checks++ === 0 && subject.session) subject.session.provedAtMs = t - 60_000; // the morning login
    if (!withShield) {
      this.record(account, patient, covered, t);
      return true;
    }
    if (this.suspended.has(subject.professionalId)) {
      if (stats) stats.refused++;
      return false;
    }
    let { verdict, pass } = await this.shield.gate(subject, t);
    if (verdict.action === 'slow') {
      if (stats) stats.slowed++;
      ({ verdict, pass } = await this.shield.gate(subject, t + verdict.delayMs, { waited: true }));
    }
    if (verdict.action === 'step_up') {
      // The professional is at the desk: the passkey step-up passes, the check is retried.
      if (stats) {
        stats.stepUps++;
        if (this.steppedUp[account] === 0) stats.stepUpAccounts++;
      }
      this.steppedUp[account] = 1;
      await this.shield.presenceProved(subject.professionalId, t + 1);
      ({ verdict, pass } = await this.shield.gate(subject, t + 1));
    }
    if (verdict.action !== 'allow') {
      if (stats) stats.refused++;
      return false;
    }
    const beneficiary = covered ? `${insurerOf(patient)}:${patient}` : null;
    const observation: Observation = {
      covered,
      beneficiary,
      insurerId: insurerOf(patient),
      queryKey: beneficiary ?? `q:${traffic.day}:${i}`,
      honeytoken: false,
    };
    await this.shield.observe(pass, observation, t);
    this.record(account, patient, covered, t);
    if (stats) {
      if (covered) stats.covered++;
      else stats.misses++;
    }
    return true;
  }

  private async legitCalculation(traffic: DayTraffic, i: number, t: number, withShield: boolean): Promise<void> {
    const account = traffic.account[i] ?? 0;
    const patient = traffic.patient[i] ?? 0;
    this.recordCalculation(account, patient);
    if (withShield) await this.shield.calculated(this.subjects[account] as Subject, `${insurerOf(patient)}:${patient}`, t);
  }

  private onDecision(decision: Decision, suspended: boolean): void {
    if (suspended) this.suspended.add(decision.professionalId);
    const attack = this.setup.attack;
    if (attack?.accounts.has(decision.professionalId)) {
      attack.onDecision(this, decision, suspended);
      return;
    }
    const stats = this.today;
    if (!stats) return;
    if (decision.action === 'tighten') stats.tightened++;
    if (decision.action !== 'step_up' && decision.action !== 'suspend') return;
    if (suspended) stats.wrongfulSuspensions++;
    const index = decision.professionalId - 100_000;
    // One attribution per account-day: the first step-up or suspension of the day tells why.
    if (!suspended && this.alarmed[index] === 1) return;
    this.alarmed[index] = 1;
    const account = this.setup.population.accounts[index];
    const site = account ? this.setup.population.sites[account.site] : undefined;
    const why = decision.cause === 'signals' ? { signals: decision.findings.map((f) => f.signal) } : { cause: decision.cause };
    const key = falseAlarmWords(decision.action, account?.profile ?? '?', why, contextOf(site, this.currentDay, decision.at.getTime()));
    this.falseAlarms.set(key, (this.falseAlarms.get(key) ?? 0) + 1);
  }

  private onAlert(alert: Alert): void {
    if (alert.kind !== 'platform') return;
    this.platformAlertTimes.push(alert.at.getTime());
    if (this.today) this.today.platformAlerts++;
    this.setup.attack?.onAlert(this, alert);
  }
}

function newStats(day: number, startMs: number): DayStats {
  return {
    day: measuredDay(day),
    date: localTime(startMs + 12 * HOUR_MS).day,
    checks: 0,
    covered: 0,
    misses: 0,
    slowed: 0,
    stepUps: 0,
    stepUpAccounts: 0,
    refused: 0,
    activeAccounts: 0,
    wrongfulSuspensions: 0,
    platformAlerts: 0,
    tightened: 0,
  };
}

/** What was special about the site that day, to attribute a false alarm (null: no site). */
function contextOf(site: { openDay: number; mergerDay: number; profile: string } | undefined, day: number, t: number): DayTag[] | null {
  if (!site) return null;
  const tags: DayTag[] = [];
  if (site.openDay > 0 && day - site.openDay < 28) tags.push('new_site');
  if (day >= site.mergerDay) tags.push('merger');
  const measured = measuredDay(day);
  if ((site.profile === 'pharmacy' || site.profile === 'physician') && measured >= 15 && measured <= 21) tags.push('epidemic');
  const local = localTime(t);
  if (local.weekday === 0) tags.push('sunday');
  else if (local.weekday === 1) tags.push('monday');
  return tags;
}

/** Observation of an attacker's request (a leaked list's patient). */
export function observationOf(patient: number, covered: boolean, honeytoken: boolean, queryKey: string): Observation {
  const beneficiary = covered || honeytoken ? `${insurerOf(patient)}:${patient}` : null;
  return { covered: covered || honeytoken, beneficiary, insurerId: insurerOf(patient), queryKey: beneficiary ?? queryKey, honeytoken };
}
