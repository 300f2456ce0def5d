import { HOUR_MS } from '../../domain/dates.js';
import type { Alert, Decision } from '../decisions.js';
import type { Subject } from '../engine.js';
import { localTime } from '../local-time.js';
import { priors } from '../profile.js';
import { thresholdsFor } from '../rules.js';
import { absoluteDay, dayStartMs, drawHour, insurerOf, LEAKED_BASE, workingHours, type Account, type Population } from './population.js';
import { stream, type Random } from './random.js';
import { observationOf, type Attack, type Run } from './run.js';
import { actorWords, campaignWords, containedWords } from './words.js';

export type ScenarioId = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g';

export interface ScenarioSpec {
  id: ScenarioId;
  title: string;
  goal: string;
  /** Measured day (1-based) the attack starts. */
  day: number;
  /** Days the attack may last. */
  days: number;
  /** Days the shield runs on clean traffic first: its counters fill and the platform watch learns (it trusts its usual after 72 hourly samples). */
  shieldWarmup: number;
}

/** Wednesday of the second measured week, before the epidemic; (c) from the Tuesday, for up to eight days (until the platform alert). */
export const scenarios: readonly ScenarioSpec[] = [
  { id: 'a', title: 'un compte volé à pleine vitesse', goal: '≤ 50 fiches, < 1 min', day: 10, days: 2, shieldWarmup: 3 },
  { id: 'b', title: 'un compte volé juste sous les plafonds fixes', goal: '≤ 1,5 × journée normale avant la confirmation d’identité', day: 10, days: 3, shieldWarmup: 3 },
  { id: 'c', title: '50 comptes volés, lentement', goal: '≤ 5 000 fiches avant l’alerte de la plateforme', day: 9, days: 8, shieldWarmup: 7 },
  { id: 'd', title: 'énumération d’une liste de NIR', goal: '≤ 20 fiches', day: 10, days: 2, shieldWarmup: 3 },
  { id: 'e', title: 'jeton de session rejoué d’un autre réseau', goal: '0 fiche', day: 10, days: 2, shieldWarmup: 1 },
  { id: 'f', title: 'compte dormant réutilisé', goal: '0 fiche', day: 10, days: 2, shieldWarmup: 1 },
  { id: 'g', title: '50 comptes volés, chacun sous 90 % de chaque seuil, calculant chaque engagement', goal: '≤ 5 000 fiches avant l’alerte de la plateforme', day: 9, days: 4, shieldWarmup: 7 },
];

/** The scenarios' letters, as the command line takes them. */
export const scenarioLetters = scenarios.map((s) => s.id).join('');

/** One scenario on one seed. */
export interface ScenarioOutcome {
  scenario: ScenarioId;
  seed: number;
  /** The figure the goal is about: records before containment ((b): before the first step-up; (c): before the platform alert). */
  records: number;
  /** Records disclosed to the attacker over the whole run (after a step-up the holder passed, for instance). */
  totalRecords: number;
  /** From the attacker's first request to containment (step-up pending, suspension, or (c) the platform alert); null: never. */
  timeToContainmentMs: number | null;
  containedBy: string;
  /** Every attacking account suspended by the end. */
  closed: boolean;
  requests: number;
  refused: number;
  /** (b): the account's normal day (learned typical day) and records ÷ normal day. */
  normalDay: number | null;
  ratio: number | null;
  pass: boolean;
}

type Pace = (run: Run, actor: Actor, t: number, delayMs: number) => number;

interface ActorOptions {
  account: Account;
  subject: Subject;
  hitRate: number;
  honeyRate: number;
  calculates: boolean;
  leakBase: number;
  rng: Random;
  start: number;
  pace: Pace;
  /** (e): the holder's session, copied from their PC at the first request. */
  stealSession?: (run: Run) => Subject['session'];
  /** Plans the day's requests (the slow campaign); otherwise the pace decides. */
  planDay?: (run: Run, actor: Actor, day: number) => void;
}

/** One attacker on one stolen account. */
export class Actor {
  next: number;
  records = 0;
  honeytokens = 0;
  requests = 0;
  refused = 0;
  firstAt: number | null = null;
  containedAt: number | null = null;
  containedBy: string = actorWords.notContained;
  recordsAtContainment: number | null = null;
  closedAt: number | null = null;
  /** The account's normal day (learned typical day) when the attack began. */
  normalDay: number | null = null;
  plan: number[] = [];
  /** Records of the simulated day `recordsDay` ((g) stops under its day threshold). */
  recordsToday = 0;
  recordsDay = -1;
  /** What the attacker read, in order: the simulated patients and when (an incident rehearsal replays them). */
  readonly disclosed: { t: number; patient: number }[] = [];

  constructor(readonly options: ActorOptions) {
    this.next = options.start;
  }

  get id(): number {
    return this.options.account.professionalId;
  }

  async step(run: Run): Promise<void> {
    const { account, subject, rng } = this.options;
    const t = this.next;
    this.requests++;
    if (this.firstAt === null) {
      this.firstAt = t;
      this.normalDay = run.history.baselineNow(account.index, account.profile, t).typicalDay;
      if (this.options.stealSession) subject.session = this.options.stealSession(run);
    }
    if (run.suspended.has(this.id)) {
      this.close(t, actorWords.suspended);
      return;
    }
    let { verdict, pass } = await run.shield.gate(subject, t);
    // A slowed request is admitted (or not) after its pause, as the server does.
    if (verdict.action === 'slow') ({ verdict, pass } = await run.shield.gate(subject, t + verdict.delayMs, { waited: true }));
    if (verdict.action === 'closed') {
      this.close(t, actorWords.closed);
      return;
    }
    if (verdict.action === 'busy') {
      // A crowd's pace: wait for the next minute, as the answer's Retry-After says.
      this.refused++;
      this.next = t + verdict.retryAfterMs;
      return;
    }
    if (verdict.action === 'step_up') {
      this.refused++;
      this.contain(t, actorWords.pending);
      this.next = this.options.pace(run, this, t, 0);
      return;
    }
    const u = rng.next();
    const honeytoken = u < this.options.honeyRate;
    const covered = !honeytoken && u < this.options.honeyRate + this.options.hitRate;
    const patient = this.options.leakBase + this.requests;
    await run.shield.observe(pass, observationOf(patient, covered, honeytoken, `leak:${patient}`), t);
    if (honeytoken) {
      this.honeytokens++;
    } else {
      run.record(account.index, patient, covered, t);
      if (covered) {
        this.records++;
        if (this.recordsDay !== run.day) [this.recordsDay, this.recordsToday] = [run.day, 0];
        this.recordsToday++;
        this.disclosed.push({ t, patient });
        if (this.options.calculates) {
          await run.shield.calculated(subject, `${insurerOf(patient)}:${patient}`, t);
          run.recordCalculation(account.index, patient);
        }
      }
    }
    this.next = this.options.pace(run, this, t, verdict.action === 'slow' ? verdict.delayMs : 0);
  }

  contain(t: number, by: string): void {
    if (this.firstAt === null || this.containedAt !== null) return;
    this.containedAt = t;
    this.containedBy = by;
    this.recordsAtContainment = this.records;
  }

  close(t: number, by: string): void {
    this.contain(t, by);
    this.closedAt ??= t;
    this.next = Infinity;
  }
}

/** The attacker side of a scenario: one actor, or fifty for the slow campaign. */
export class ScenarioAttack implements Attack {
  readonly accounts: ReadonlySet<number>;
  platformAlertAt: number | null = null;
  recordsAtAlert: number | null = null;
  alertFindings = '';

  constructor(
    readonly spec: ScenarioSpec,
    readonly actors: Actor[],
    private readonly endMs: number,
  ) {
    this.accounts = new Set(actors.map((a) => a.id));
  }

  beginDay(run: Run, day: number): void {
    for (const actor of this.actors) actor.options.planDay?.(run, actor, day);
  }

  nextTime(): number {
    let next = Infinity;
    for (const actor of this.actors) if (actor.next < next) next = actor.next;
    return next >= this.endMs ? Infinity : next;
  }

  async step(run: Run): Promise<void> {
    let first: Actor | undefined;
    for (const actor of this.actors) if (!first || actor.next < first.next) first = actor;
    if (first) await first.step(run);
  }

  onDecision(_run: Run, decision: Decision, suspended: boolean): void {
    const actor = this.actors.find((a) => a.id === decision.professionalId);
    if (!actor || (decision.action !== 'step_up' && decision.action !== 'suspend')) return;
    const t = decision.at.getTime();
    const why = decision.cause === 'signals' ? { findings: decision.findings.map((f) => `${f.signal} ${f.value} > ${f.threshold}`).join(', ') } : { cause: decision.cause };
    actor.contain(t, containedWords(decision.action, why));
    if (suspended) actor.closedAt ??= t;
  }

  onAlert(_run: Run, alert: Alert): void {
    if (this.platformAlertAt !== null || !this.actors.some((a) => a.firstAt !== null)) return;
    this.platformAlertAt = alert.at.getTime();
    this.recordsAtAlert = this.actors.reduce((s, a) => s + a.records, 0);
    const findings = (alert.details.findings ?? []) as { signal: string; value: number; threshold: number }[];
    this.alertFindings = findings.map((f) => `${f.signal} ${f.value} > ${f.threshold}`).join(', ');
  }

  /** Many accounts, measured until the platform alert. */
  private get campaign(): boolean {
    return this.spec.id === 'c' || this.spec.id === 'g';
  }

  done(): boolean {
    if (this.campaign) return this.platformAlertAt !== null || this.actors.every((a) => a.closedAt !== null);
    return this.actors.every((a) => a.next === Infinity || a.closedAt !== null);
  }

  outcome(seed: number): ScenarioOutcome {
    const total = this.actors.reduce((s, a) => s + a.records, 0);
    const requests = this.actors.reduce((s, a) => s + a.requests, 0);
    const refused = this.actors.reduce((s, a) => s + a.refused, 0);
    const closed = this.actors.every((a) => a.closedAt !== null);
    if (this.campaign) {
      const first = Math.min(...this.actors.map((a) => a.firstAt ?? Infinity));
      const stepped = this.actors.filter((a) => a.containedAt !== null && (this.platformAlertAt === null || (a.containedAt ?? 0) <= this.platformAlertAt)).length;
      const records = this.recordsAtAlert ?? total;
      return {
        scenario: this.spec.id,
        seed,
        records,
        totalRecords: total,
        timeToContainmentMs: this.platformAlertAt === null ? null : this.platformAlertAt - first,
        containedBy: campaignWords(this.platformAlertAt === null ? null : this.alertFindings, stepped, this.actors.length),
        closed,
        requests,
        refused,
        normalDay: null,
        ratio: null,
        pass: this.platformAlertAt !== null && records <= 5000,
      };
    }
    const actor = this.actors[0] as Actor;
    const records = actor.containedAt === null ? total : (actor.recordsAtContainment ?? 0);
    const time = actor.containedAt === null || actor.firstAt === null ? null : actor.containedAt - actor.firstAt;
    const ratio = this.spec.id === 'b' && actor.normalDay ? records / actor.normalDay : null;
    const pass =
      this.spec.id === 'a' ? total <= 50 && time !== null && time < 60_000
      : this.spec.id === 'b' ? ratio !== null && ratio <= 1.5 && time !== null
      : this.spec.id === 'd' ? total <= 20 && time !== null
      : total === 0;
    return { scenario: this.spec.id, seed, records, totalRecords: total, timeToContainmentMs: time, containedBy: actor.containedBy, closed, requests, refused, normalDay: actor.normalDay, ratio, pass };
  }
}

const ATTACKER = { network: 'net-attacker', device: 'dev-attacker' };

/** Builds a scenario's attacker(s) on a population; the stolen accounts are drawn from the seed. */
export function buildAttack(spec: ScenarioSpec, population: Population): ScenarioAttack {
  const seed = population.options.seed;
  const rng = stream(seed, 0xa77ac, spec.id.charCodeAt(0));
  const day = absoluteDay(spec.day);
  const start = dayStartMs(day) + 10 * HOUR_MS + rng.int(0, 59_999);
  const endMs = dayStartMs(day + spec.days);
  const established = population.accounts.filter((a) => {
    const site = population.sites[a.site];
    return a.share >= 0.4 && a.dormantSince === null && site !== undefined && site.openDay === 0 && site.mergerDay === Infinity;
  });
  const pick = (filter: (a: Account) => boolean): Account => rng.pick(established.filter(filter).length > 0 ? established.filter(filter) : established);
  const attackerSubject = (account: Account, session: Subject['session']): Subject => ({
    professionalId: account.professionalId,
    siteId: (population.sites[account.site]?.id ?? 0),
    clientId: null,
    profile: account.profile,
    ...ATTACKER,
    session,
  });
  const every = (ms: number): Pace => (_run, _actor, t, delay) => t + ms + delay;
  const leak = (i: number): number => LEAKED_BASE + i * 10_000_000;
  const single = (account: Account, options: Partial<ActorOptions>): ScenarioAttack => {
    const actor = new Actor({
      account,
      subject: attackerSubject(account, { network: ATTACKER.network, device: ATTACKER.device, provedAtMs: start - 60_000 }),
      hitRate: 0.95,
      honeyRate: 0,
      calculates: false,
      leakBase: leak(0),
      rng,
      start,
      pace: every(1000),
      ...options,
    });
    return new ScenarioAttack(spec, [actor], endMs);
  };
  // Fifty stolen accounts, each its own attacker, drawn without repeat.
  const campaigner = (account: Account, i: number): Omit<ActorOptions, 'start' | 'pace'> => ({ account, subject: attackerSubject(account, null), hitRate: 0.95, honeyRate: 0, calculates: false, leakBase: leak(i + 1), rng });
  const fifty = (options: (account: Account, i: number) => ActorOptions): ScenarioAttack => {
    const pool = [...established];
    const actors: Actor[] = [];
    for (let i = 0; i < 50 && pool.length > 0; i++) actors.push(new Actor(options(pool.splice(rng.int(0, pool.length - 1), 1)[0] as Account, i)));
    return new ScenarioAttack(spec, actors, endMs);
  };
  switch (spec.id) {
    case 'a':
      return single(pick((a) => a.profile === 'pharmacy'), { pace: every(200) });
    case 'b':
      return single(pick((a) => a.profile === 'pharmacy'), { calculates: true, pace: underTheCaps });
    case 'g':
      return fifty((account, i) => ({ ...campaigner(account, i), calculates: true, start: start + rng.int(0, HOUR_MS), pace: underEveryCap }));
    case 'c':
      return fifty((account, i) => {
        const share = rng.uniform(0.2, 0.3);
        return {
          ...campaigner(account, i),
          start: Infinity,
          pace: (_run, actor) => {
            actor.plan.shift();
            return actor.plan[0] ?? Infinity;
          },
          planDay: (r, actor, d) => planCampaignDay(r, actor, d, day, share, rng),
        };
      });
    case 'd':
      return single(pick((a) => a.profile === 'pharmacy' || a.profile === 'physician'), { hitRate: 0.25, honeyRate: 0.01, pace: every(2000) });
    case 'e': {
      const account = pick((a) => a.portal);
      // The cookie as it was on the holder's PC: its network and device, its last proof of presence.
      return single(account, { stealSession: (r) => ({ ...(r.subjects[account.index]?.session ?? { network: '', device: null, provedAtMs: 0 }) }) });
    }
    case 'f':
      return single(rng.pick(population.accounts.filter((a) => a.dormantSince !== null)), {});
  }
}

/** (b) reads the account's per-minute and per-hour caps (as if it knew them) and stays at 90 % of both, in business hours. */
const underTheCaps: Pace = (run, actor, t, delay) => paceUnder(run, actor, t, delay, Infinity);

/** (g) does the same and also stops each day at 85 % of its day threshold: below 90 % of every one. */
const underEveryCap: Pace = (run, actor, t, delay) => paceUnder(run, actor, t, delay, 0.85);

function paceUnder(run: Run, actor: Actor, t: number, delay: number, dayShare: number): number {
  const { account } = actor.options;
  const baseline = run.history.baselineNow(account.index, account.profile, t);
  const caps = thresholdsFor(
    { profile: account.profile, baseline, weekday: localTime(t).weekday, surge: run.shield.platform.surge(account.profile), tightened: false, raised: {} },
    run.thresholds,
    0,
  );
  const interval = Math.max(60_000 / (0.9 * priors[account.profile].minuteCap), HOUR_MS / (0.9 * caps.hour));
  let next = t + interval + delay;
  const local = localTime(next);
  const dayDone = actor.recordsDay === run.day && actor.recordsToday >= dayShare * caps.day;
  if (dayDone || local.hour >= 20 || local.hour < 8 || local.weekday === 0) {
    let day = run.day + 1;
    while (localTime(dayStartMs(day) + 12 * HOUR_MS).weekday === 0) day++;
    next = dayStartMs(day) + 8 * HOUR_MS + actor.options.rng.int(0, 600_000);
  }
  return next;
}

/** (c): the day's extra checks, 20–30 % of the account's normal day, at the hours its profession works. */
function planCampaignDay(run: Run, actor: Actor, day: number, firstDay: number, share: number, rng: Random): void {
  actor.plan = [];
  if (day < firstDay || actor.closedAt !== null) return;
  const hours = workingHours(actor.options.account.profile, day);
  if (!hours) {
    actor.next = Infinity;
    return;
  }
  const { account } = actor.options;
  const startMs = dayStartMs(day);
  const typical = run.history.baselineNow(account.index, account.profile, startMs + HOUR_MS).typicalDay;
  const count = Math.max(1, Math.round(typical * share));
  for (let i = 0; i < count; i++) actor.plan.push(startMs + drawHour(rng, hours) * HOUR_MS + rng.int(0, HOUR_MS - 1));
  actor.plan.sort((x, y) => x - y);
  actor.next = actor.plan[0] ?? Infinity;
}
