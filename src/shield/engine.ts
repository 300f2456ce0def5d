import { randomBytes } from 'node:crypto';
import type { Baseline } from './baseline.js';
import type { ShieldConfig, ShieldThresholds } from './config.js';
import { MINUTE_MS } from './counters/index.js';
import { calculationAdd, guardedReads, KeysCache, lookupAdds, shownReads, toSignals, VOLUME_READS, volumeTotal, withInFlight, type AccountKeys, type Shared } from './counting.js';
import { DAY_MS, HOUR_MS } from '../domain/dates.js';
import type { Action, Cause, Decision, ShieldSink } from './decisions.js';
import { daysBetween, localTime } from './local-time.js';
import { uninvoicedWords } from './daily-drift.js';
import { PlatformWatch, type PlatformHistory } from './platform-watch.js';
import { priors, type Profile } from './profile.js';
import { assess, guardedSignals, thresholdsFor, type Finding, type GuardedSignal, type RuleContext, type Signals } from './rules.js';
import { initialState, type AccountState, type Entered, type Hold, type ShieldStore } from './store.js';

/** Who is asking, as the shield watches it: the account (the professional), its site, its software, from where. */
export interface Subject {
  professionalId: number;
  siteId: number;
  clientId: string | null;
  profile: Profile;
  /** The request's network (an address prefix) and device (DPoP key thumbprint or user agent). */
  network: string;
  device: string | null;
  /** A person's session: where its holder last proved presence, and when. */
  session: { network: string; device: string | null; provedAtMs: number } | null;
}

/** What the rights check found, as the shield counts it. */
export interface Observation {
  covered: boolean;
  /** The patient disclosed (`insurer:id`), when covered. */
  beneficiary: string | null;
  insurerId: number;
  /** A miss's identity, to count distinct failed queries (a retyped card counts once). */
  queryKey: string;
  /** A planted record no real patient can present. */
  honeytoken: boolean;
}

/** `busy`: too many of the account's requests in flight at once; it may try again after `retryAfterMs`. */
export type Verdict = { action: 'allow' } | { action: 'slow'; delayMs: number } | { action: 'busy'; retryAfterMs: number } | { action: 'step_up' } | { action: 'closed' };

/** What the request is for: a lookup may disclose a new patient and spends budget; a calculation follows one. */
export interface GateOptions {
  lookup?: boolean;
  /** The request already waited out a slow-down: it is admitted now, or not. */
  waited?: boolean;
}

/** Where an account's history comes from: the access log on a server, the simulation in the simulator. */
export interface BaselineSource {
  baselineOf(professionalId: number, profile: Profile, nowMs: number): Promise<Baseline>;
}

/** Last day of use of an account; `touch` records today's and returns the previous one (null: never used). */
export interface ActivitySource {
  touch(professionalId: number, day: string): Promise<string | null>;
}

export interface ShieldDeps {
  config: ShieldConfig;
  store: ShieldStore;
  baselines: BaselineSource;
  activity: ActivitySource;
  sink: ShieldSink;
  /** Every account's finished days, for the platform's daily drift; none: that watch is off. */
  platformHistory?: PlatformHistory;
}

/** A gate passed: what `observe` needs without reading the state twice. */
export interface Pass {
  subject: Subject;
  state: AccountState;
  /** The request's entry among those in flight, until it is answered. */
  hold: Hold | null;
}

/** What the entry read (counts: the VOLUME_READS ones, then one per shared level), with the shared levels. */
interface Admission extends Entered {
  shared: AccountKeys['shared'];
}

/** Accounts whose day of use is kept in memory; beyond, all are asked again once. */
const MAX_AWAKE = 200_000;

/** A busy account tries again this much later. */
const BUSY_RETRY_MS = 1000;

/**
 * A request's token among those in flight: unique to this instance by its sequence, and
 * among instances sharing Redis by a random prefix. Not a UUID per request: drawing
 * randomness at every request cost more than the rest of the entry.
 */
const TOKEN_PREFIX = randomBytes(9).toString('base64url');
let tokens = 0;
function nextToken(): string {
  tokens += 1;
  return TOKEN_PREFIX + tokens.toString(36);
}

/**
 * The exfiltration shield (THREATS.md points 5, 6, 11): before each disclosure it decides
 * whether the account may go on (allow, slow down, step-up, closed); after it, it counts
 * and escalates. Only the account concerned is touched; every other account keeps working.
 * The server and the simulator run this same class, the simulator with a simulated clock.
 */
export class Shield {
  readonly platform: PlatformWatch;
  private readonly keys: KeysCache;
  /** Per account, the local day it was last found in use on this instance: its dormancy is not asked again that day. */
  private readonly awake = new Map<number, string>();

  constructor(private readonly deps: ShieldDeps) {
    this.keys = new KeysCache(deps.config.thresholds.calculationGraceMinutes * MINUTE_MS);
    this.platform = new PlatformWatch(deps.store, () => deps.config.thresholds, deps.platformHistory ?? null);
  }

  get enabled(): boolean {
    return this.deps.config.enabled;
  }

  /**
   * Before a disclosure. Allowed means admitted: the request is counted among the account's
   * (and its software's) requests in flight at once, and its budgets are judged with every
   * request in flight as if already answered, so parallel requests cannot pass a budget
   * together. The pass must then go to `observe` or `release`.
   */
  async gate(subject: Subject, nowMs: number, options: GateOptions = {}): Promise<{ verdict: Verdict; pass: Pass }> {
    if (!this.enabled) return { verdict: { action: 'allow' }, pass: { subject, state: initialState, hold: null } };
    const lookup = options.lookup !== false;
    const keys = this.keys.of(subject);
    // A calculation (no lookup) reads no count; a lookup reads those admission judges.
    const hold = { account: subject.professionalId, keys: keys.hold, token: nextToken() };
    // The request enters first, in the round trip that reads its state: one round trip, and
    // a request refused below leaves again at once.
    const entered = await this.deps.store.enter(hold, nowMs, lookup ? keys.admission : []);
    const pass: Pass = { subject, state: entered.state, hold };
    try {
      const verdict = await this.judge(pass, { ...entered, shared: keys.shared }, options, nowMs);
      if (verdict.action !== 'allow') await this.release(pass);
      return { verdict, pass };
    } catch (error) {
      await this.release(pass);
      throw error;
    }
  }

  /** The request's entry in flight is withdrawn (answered, failed or refused). Idempotent. */
  async release(pass: Pass): Promise<void> {
    const hold = pass.hold;
    pass.hold = null;
    if (hold) await this.deps.store.leave(hold);
  }

  private async judge(pass: Pass, entered: Admission, options: GateOptions, nowMs: number): Promise<Verdict> {
    const { subject, state } = pass;
    const t = this.deps.config.thresholds;
    const today = localTime(nowMs).day;
    if (this.awake.get(subject.professionalId) !== today && (await this.dormant(subject, today, nowMs))) return { action: 'closed' };
    const presence = Math.max(state.presenceAt, subject.session?.provedAtMs ?? 0);
    if (state.level === 'step_up' && presence > state.since) {
      const now = await this.currentSignals(subject.professionalId, nowMs);
      const raised = Object.fromEntries(guardedSignals.map((s) => [s, Math.max(state.raised[s] ?? 0, now[s] * t.raisedFactor)]));
      pass.state = { ...state, level: 'normal', since: nowMs, refused: 0, raised, raisedUntil: nowMs + t.raisedDays * DAY_MS };
      await this.deps.store.saveState(subject.professionalId, pass.state);
      await this.record(subject, 'cleared', 'signals', [], null, nowMs);
    }
    if (pass.state.level !== 'step_up' && sessionMoved(subject)) {
      pass.state = await this.escalate(pass, 'step_up', 'session_moved', [], null, nowMs);
    }
    if (pass.state.level === 'step_up') return this.refuse(pass, nowMs);
    if (pass.state.level === 'slow' && options.waited !== true) return { action: 'slow', delayMs: t.slowDelayMs };
    return this.admit(pass, entered, options.lookup !== false, nowMs);
  }

  /** Judged with every request in flight counted: a lookup beyond a budget of the account or of its software discloses nothing. */
  private async admit(pass: Pass, { inFlight, counts, shared }: Admission, lookup: boolean, nowMs: number): Promise<Verdict> {
    const { subject } = pass;
    const t = this.deps.config.thresholds;
    const [account = 1, ...sharedInFlight] = inFlight;
    if (account > t.concurrentRequests) return { action: 'busy', retryAfterMs: BUSY_RETRY_MS };
    if (!lookup) return { action: 'allow' };
    // Only the volume signals are judged here (the others are read after the answer).
    const signals = withInFlight(toSignals(counts.slice(0, VOLUME_READS)), account);
    for (const [i, { level }] of shared.entries()) {
      const pace = (counts[VOLUME_READS + i] ?? 0) + (sharedInFlight[i] ?? 1);
      const cap = priors[subject.profile].minuteCap * t.minuteCapFactor * sharedFactor(t, level);
      if (pace > cap) return this.sharedBeyond(subject, level, { signal: 'minute', value: pace, threshold: cap }, nowMs);
    }
    const context = await this.contextOf(subject.professionalId, subject.profile, pass.state, nowMs);
    const beyond = assess(signals, context, t).stepUp.filter((f) => volumeSignals.has(f.signal));
    if (beyond.length === 0) return { action: 'allow' };
    // Refused as any request while the step-up is pending: the first of those that suspend.
    return (await this.stepUp(pass, beyond, signals, nowMs)) ? { action: 'closed' } : this.refuse(pass, nowMs);
  }

  /**
   * A shared level beyond its pace. A software key is suspended for every professional it
   * names (one stolen key, one budget); a site or a network only waits for the next minute:
   * no one is suspended for a crowd.
   */
  private async sharedBeyond(subject: Subject, level: Shared, finding: Finding, nowMs: number): Promise<Verdict> {
    if (level !== 'client') return { action: 'busy', retryAfterMs: MINUTE_MS - (nowMs % MINUTE_MS) };
    const summary = `logiciel ${subject.clientId ?? ''} : ${finding.value} patients en une minute, tous professionnels confondus (plafond ${finding.threshold})`;
    await this.deps.sink.suspendClient(decisionOf(subject, 'suspend', 'client_budget', [finding], null, nowMs), summary);
    return { action: 'closed' };
  }

  /** After a rights check: count it, and escalate if the account went beyond its thresholds. */
  async observe(pass: Pass, observation: Observation, nowMs: number): Promise<void> {
    try {
      await this.observed(pass, observation, nowMs);
    } finally {
      await this.release(pass);
    }
  }

  private async observed(pass: Pass, observation: Observation, nowMs: number): Promise<void> {
    if (!this.enabled) return;
    const { subject } = pass;
    if (observation.honeytoken) {
      await this.suspend(subject, 'honeytoken', [], null, nowMs, 'Bénéficiaire leurre consulté : ce compte énumère des données volées');
      return;
    }
    const signals = await this.signals(pass, observation, nowMs);
    const state = pass.state;
    const context = await this.contextOf(subject.professionalId, subject.profile, state, nowMs);
    const assessment = assess(signals, context, this.deps.config.thresholds);
    if (assessment.stepUp.length > 0) await this.stepUp(pass, assessment.stepUp, signals, nowMs);
    else if (assessment.slow.length > 0 && state.level === 'normal') await this.escalate(pass, 'slow', 'signals', assessment.slow, signals, nowMs);
    else if (state.level === 'slow' && assessment.slow.length === 0 && nowMs - state.since > this.deps.config.thresholds.slowMinutes * MINUTE_MS) {
      await this.deps.store.saveState(subject.professionalId, { ...state, level: 'normal', since: nowMs });
    }
    if (assessment.above.length > 0) await this.deps.store.noteElevated(subject.professionalId, nowMs, 'above');
    if (assessment.elevated.length > 0) await this.elevated(pass, nowMs);
    if (this.platform.due(nowMs)) await this.watchPlatform(nowMs);
  }

  /** A calculation for a patient: the check that preceded it was followed. */
  async calculated(subject: Subject, beneficiary: string, nowMs: number): Promise<void> {
    if (!this.enabled) return;
    await this.deps.store.observe([calculationAdd(subject.professionalId, beneficiary)], [], nowMs);
  }

  /** The person proved presence (passkey step-up or fresh login): a pending step-up clears at the next request. */
  async presenceProved(professionalId: number, nowMs: number): Promise<void> {
    const state = await this.deps.store.state(professionalId);
    await this.deps.store.saveState(professionalId, { ...state, presenceAt: nowMs });
  }

  /**
   * A security officer restored the account: it starts again from normal, with its budgets.
   * Its step-ups of the day still count: climbing again the same day suspends it again.
   */
  async restored(professionalId: number): Promise<void> {
    const state = await this.deps.store.state(professionalId);
    await this.deps.store.saveState(professionalId, { ...state, level: 'normal', refused: 0 });
  }

  close(): Promise<void> {
    return this.deps.store.close();
  }

  get thresholds(): ShieldThresholds {
    return this.deps.config.thresholds;
  }

  private get graceMs(): number {
    return this.deps.config.thresholds.calculationGraceMinutes * MINUTE_MS;
  }

  /** Where an account stands, for the security console. */
  stateOf(professionalId: number): Promise<AccountState> {
    return this.deps.store.state(professionalId);
  }

  /** What an account's thresholds are now, as a profile, and the baseline they come from: for the security console. */
  async thresholdsOf(professionalId: number, profile: Profile, nowMs: number): Promise<{ context: RuleContext; thresholds: Record<GuardedSignal, number> }> {
    const context = await this.contextOf(professionalId, profile, await this.stateOf(professionalId), nowMs);
    const { day } = await this.currentSignals(professionalId, nowMs);
    return { context, thresholds: thresholdsFor(context, this.deps.config.thresholds, day) };
  }

  private async contextOf(professionalId: number, profile: Profile, state: AccountState, nowMs: number): Promise<RuleContext> {
    return {
      profile,
      baseline: await this.deps.baselines.baselineOf(professionalId, profile, nowMs),
      weekday: localTime(nowMs).weekday,
      surge: this.platform.surge(profile),
      tightened: state.tightenedUntil > nowMs,
      raised: state.raisedUntil > nowMs ? state.raised : {},
    };
  }

  /** The account's current signals, for the security console (nothing is added). */
  async currentSignals(professionalId: number, nowMs: number): Promise<Signals> {
    return toSignals(await this.deps.store.observe([], [...guardedReads(professionalId, this.graceMs), ...shownReads(professionalId)], nowMs));
  }

  /** Counts the answer and reads the signals; the request leaves its keys in flight in the same round trip. */
  private async signals(pass: Pass, observation: Observation, nowMs: number): Promise<Signals> {
    const { subject, hold } = pass;
    // The platform's hourly totals ride along; the shown-only signals are not read here (the console reads them).
    const total = { key: observation.covered ? volumeTotal(subject.profile) : 'misses', by: 1 };
    const keys = this.keys.of(subject);
    const counts = await this.deps.store.observe(lookupAdds(subject, observation, nowMs, keys), keys.guarded, nowMs, [total], hold ?? undefined);
    pass.hold = null;
    return toSignals(counts);
  }

  /** No use for `dormantDays`: the account is closed before it discloses anything (A6). Asked once per account and day (`awake`). */
  private async dormant(subject: Subject, today: string, nowMs: number): Promise<boolean> {
    const previous = await this.deps.activity.touch(subject.professionalId, today);
    if (previous === null || previous === today || daysBetween(previous, today) <= this.deps.config.thresholds.dormantDays) {
      if (this.awake.size >= MAX_AWAKE) this.awake.clear();
      this.awake.set(subject.professionalId, today);
      return false;
    }
    await this.suspend(subject, 'dormant', [], null, nowMs, `Compte inutilisé depuis le ${previous} puis réutilisé : fermé`);
    return true;
  }

  private async refuse(pass: Pass, nowMs: number): Promise<Verdict> {
    const refused = pass.state.refused + 1;
    if (refused < this.deps.config.thresholds.refusedBeforeSuspension) {
      pass.state = { ...pass.state, refused };
      await this.deps.store.saveState(pass.subject.professionalId, pass.state);
      return { action: 'step_up' };
    }
    await this.suspend(pass.subject, 'refused_step_up', [], null, nowMs, `${refused} requêtes sans confirmer l’identité demandée : compte suspendu`);
    return { action: 'closed' };
  }

  /**
   * Beyond a threshold: a step-up, unless the account was asked too often today already (see
   * `stepUpsBeforeSuspension`), whatever the platform's state: nothing an attacker can cause
   * (an alert, a surge) exempts an account from it. Returns whether it suspended.
   */
  private async stepUp(pass: Pass, findings: Finding[], signals: Signals, nowMs: number): Promise<boolean> {
    const t = this.deps.config.thresholds;
    const stepUps = [...pass.state.stepUps.filter((at) => at > nowMs - DAY_MS), nowMs];
    if (stepUps.length >= t.stepUpsBeforeSuspension) {
      await this.suspend(pass.subject, 'repeated_step_up', findings, signals, nowMs, `${stepUps.length} confirmations d’identité en 24 heures, l’activité continuant de croître : compte suspendu`);
      return true;
    }
    pass.state = { ...pass.state, stepUps };
    await this.escalate(pass, 'step_up', 'signals', findings, signals, nowMs);
    return false;
  }

  private async escalate(pass: Pass, level: 'slow' | 'step_up', cause: Cause, findings: Finding[], signals: Signals | null, nowMs: number): Promise<AccountState> {
    if (pass.state.level === level) return pass.state;
    pass.state = { ...pass.state, level, since: nowMs, refused: 0 };
    await this.deps.store.saveState(pass.subject.professionalId, pass.state);
    await this.record(pass.subject, level, cause, findings, signals, nowMs);
    return pass.state;
  }

  private async elevated(pass: Pass, nowMs: number): Promise<void> {
    await this.deps.store.noteElevated(pass.subject.professionalId, nowMs);
    if (!this.platform.alerting(nowMs) || pass.state.tightenedUntil > nowMs) return;
    await this.tighten(pass.subject.professionalId, nowMs);
  }

  private async watchPlatform(nowMs: number): Promise<void> {
    const alarm = await this.platform.tick(nowMs);
    if (!alarm) return;
    await this.deps.sink.alert({
      at: new Date(nowMs),
      kind: 'platform',
      professionalId: null,
      summary: `Moissonnage coordonné possible : ${alarm.findings.map((f) => `${f.signal} ${f.value} > ${f.threshold}`).join(', ')}${uninvoicedWords(alarm.evidence)} ; budgets resserrés pour ${alarm.accounts.length} comptes`,
      accounts: alarm.accounts,
      details: alarm.evidence.length > 0 ? { findings: alarm.findings, sansFacture: alarm.evidence } : { findings: alarm.findings },
    });
    for (const account of alarm.accounts) await this.tighten(account, nowMs);
  }

  private async tighten(professionalId: number, nowMs: number): Promise<void> {
    const state = await this.deps.store.state(professionalId);
    await this.deps.store.saveState(professionalId, { ...state, tightenedUntil: nowMs + this.deps.config.thresholds.tightenHours * HOUR_MS });
    await this.deps.sink.decision({ at: new Date(nowMs), professionalId, siteId: 0, clientId: null, action: 'tighten', cause: 'platform_alert', findings: [], signals: null });
  }

  private async suspend(subject: Subject, cause: Cause, findings: Finding[], signals: Signals | null, nowMs: number, summary: string): Promise<void> {
    const shown = await this.withShown(subject.professionalId, signals, nowMs);
    await this.deps.sink.suspend(decisionOf(subject, 'suspend', cause, findings, shown, nowMs), summary);
  }

  private async record(subject: Subject, action: Action, cause: Cause, findings: Finding[], signals: Signals | null, nowMs: number): Promise<void> {
    const shown = await this.withShown(subject.professionalId, signals, nowMs);
    await this.deps.sink.decision(decisionOf(subject, action, cause, findings, shown, nowMs));
  }

  /** A decision's signals with the shown-only ones, which the hot path does not read: decisions are rare, the record whole. */
  private async withShown(professionalId: number, signals: Signals | null, nowMs: number): Promise<Signals | null> {
    if (signals === null) return null;
    const [insurersDay = 0, networksDay = 0, devicesDay = 0] = await this.deps.store.observe([], shownReads(professionalId), nowMs);
    return { ...signals, insurersDay, networksDay, devicesDay };
  }
}

/** The signals a request in flight adds to: judged before the answer. */
const volumeSignals: ReadonlySet<GuardedSignal> = new Set(['minute', 'hour', 'day']);

/** How many desks at full pace a shared level may serve in a minute. */
function sharedFactor(t: ShieldThresholds, level: Shared): number {
  return level === 'client' ? t.clientMinuteFactor : level === 'site' ? t.siteMinuteFactor : t.networkMinuteFactor;
}

function decisionOf(subject: Subject, action: Action, cause: Cause, findings: Finding[], signals: Signals | null, nowMs: number): Decision {
  return { at: new Date(nowMs), professionalId: subject.professionalId, siteId: subject.siteId, clientId: subject.clientId, action, cause, findings, signals };
}

/** A session used from another network and another device than where its holder last proved presence: a copied cookie (A2). */
function sessionMoved(subject: Subject): boolean {
  const session = subject.session;
  return session !== null && session.network !== subject.network && session.device !== subject.device;
}

