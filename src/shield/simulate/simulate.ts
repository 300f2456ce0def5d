import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HOUR_MS } from '../../domain/dates.js';
import type { ShieldThresholds } from '../config.js';
import { localTime } from '../local-time.js';
import { buildAttack, scenarios, type ScenarioAttack, type ScenarioId, type ScenarioOutcome } from './attacks.js';
import { History } from './history.js';
import { absoluteDay, dayStartMs, WARMUP_DAYS } from './population.js';
import { buildPopulation } from './population.js';
import { Run, type DayStats } from './run.js';

export interface SimulateOptions {
  sites: number;
  /** Measured days after the 28 days of warm-up. */
  days: number;
  seeds: number;
  seedBase: number;
  /** Seeds (the first ones) whose clean traffic is run through the shield for the clean figures; the others only feed their history. */
  cleanSeeds?: number;
  /** Overrides of the shield's thresholds (what REMPART_SHIELD_THRESHOLDS would give). */
  thresholds?: ShieldThresholds;
  /** Seeds run at once, each in a worker thread with its own heap (the CLI's main heap is capped small). */
  parallel?: number;
  /** Run in this thread, one seed after the other (tests). */
  inProcess?: boolean;
  scenarios?: readonly ScenarioId[];
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface SeedOptions {
  sites: number;
  days: number;
  seed: number;
  scenarios: readonly ScenarioId[];
  /** Run the clean traffic through the shield (clean figures); otherwise it only feeds the history. */
  clean: boolean;
  thresholds?: ShieldThresholds;
  /** Hands each scenario's attack over once it ran (in-process only: an incident rehearsal reads what it disclosed). */
  onAttack?: (attack: ScenarioAttack) => void;
}

/** Clean-traffic figures of one seed, over the measured days. */
export interface CleanFigures {
  accountDays: number;
  checks: number;
  stepUpAccountDays: number;
  stepUps: number;
  slowed: number;
  refused: number;
  wrongfulSuspensions: number;
  platformAlerts: number;
  /** Account alerts: each suspension raises one. */
  accountAlerts: number;
}

export interface SeedResult {
  seed: number;
  sites: number;
  accounts: number;
  /** Null when this seed's clean traffic only fed the history. */
  clean: CleanFigures | null;
  days: DayStats[];
  /** Legitimate step-ups and suspensions by "action profile signal (context)". */
  falseAlarms: Record<string, number>;
  outcomes: ScenarioOutcome[];
  seconds: { clean: number; scenarios: Record<string, number> };
}

export interface SimulationResult {
  options: { sites: number; days: number; seeds: number[]; cleanSeeds: number[]; scenarios: ScenarioId[] };
  seeds: SeedResult[];
  wallSeconds: number;
}

/** Every seed: the clean run, then each scenario in its own run (same population, fresh shield). */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const started = performance.now();
  const seeds = Array.from({ length: options.seeds }, (_, i) => options.seedBase + i);
  const chosen = [...(options.scenarios ?? scenarios.map((s) => s.id))];
  const cleanSeeds = seeds.slice(0, Math.max(1, options.cleanSeeds ?? seeds.length));
  const parallel = options.inProcess ? 1 : Math.max(1, Math.min(options.parallel ?? availableParallelism(), seeds.length));
  const log = options.log ?? ((): void => undefined);
  const results: SeedResult[] = [];
  const queue = [...seeds];
  const work = async (): Promise<void> => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const seedOptions: SeedOptions = { sites: options.sites, days: options.days, seed, scenarios: chosen, clean: cleanSeeds.includes(seed), thresholds: options.thresholds };
      const result = options.inProcess ? await runSeed(seedOptions, log) : await inWorker(seedOptions, log);
      results.push(result);
    }
  };
  await Promise.all(Array.from({ length: parallel }, work));
  results.sort((a, b) => a.seed - b.seed);
  return { options: { sites: options.sites, days: options.days, seeds, cleanSeeds, scenarios: chosen }, seeds: results, wallSeconds: (performance.now() - started) / 1000 };
}

/** One seed, in this thread. */
export async function runSeed(options: SeedOptions, log: (line: string) => void = () => undefined): Promise<SeedResult> {
  const population = buildPopulation({ sites: options.sites, days: options.days, seed: options.seed });
  const specs = scenarios.filter((s) => options.scenarios.includes(s.id));
  const startOf = (id: ScenarioId): number => {
    const spec = specs.find((s) => s.id === id);
    return spec ? absoluteDay(spec.day) - spec.shieldWarmup : -1;
  };
  const dateOf = (day: number): string => localTime(dayStartMs(day) + 12 * HOUR_MS).day;
  // Each scenario starts from the clean history of the days before it, as the access log would hold it.
  const snapshots = new Map<number, History>();
  const wanted = new Set(specs.map((s) => startOf(s.id)));
  let t0 = performance.now();
  const lastStart = Math.max(0, ...specs.map((s) => startOf(s.id)));
  const clean = new Run({
    population,
    history: new History(population.accounts.length),
    firstDay: 0,
    // Without clean figures the shield is not run: the days only feed the history the scenarios start from.
    shieldFrom: options.clean ? WARMUP_DAYS - 7 : Infinity,
    endDay: options.clean ? population.totalDays : lastStart,
    thresholds: options.thresholds,
    measureFrom: options.clean ? WARMUP_DAYS : Infinity,
    attack: null,
    onDay: (day) => {
      if (wanted.has(day + 1)) snapshots.set(day + 1, clean.history.before(dateOf(day + 1)));
      if ((day + 1) % 10 === 0) log(`graine ${options.seed} : trafic propre, jour ${day + 1}/${population.totalDays}`);
    },
  });
  await clean.run();
  const cleanSeconds = (performance.now() - t0) / 1000;
  const outcomes: ScenarioOutcome[] = [];
  const scenarioSeconds: Record<string, number> = {};
  for (const spec of specs) {
    t0 = performance.now();
    const start = startOf(spec.id);
    const attack = buildAttack(spec, population);
    const run = new Run({
      population,
      history: snapshots.get(start) ?? new History(population.accounts.length),
      firstDay: start,
      shieldFrom: start,
      endDay: Math.min(population.totalDays, absoluteDay(spec.day) + spec.days),
      measureFrom: Infinity,
      attack,
      thresholds: options.thresholds,
    });
    await run.run();
    const outcome = attack.outcome(options.seed);
    outcomes.push(outcome);
    options.onAttack?.(attack);
    scenarioSeconds[spec.id] = (performance.now() - t0) / 1000;
    log(`graine ${options.seed} : scénario (${spec.id}) ${outcome.records} fiches, ${outcome.containedBy}`);
  }
  return {
    seed: options.seed,
    sites: population.sites.length,
    accounts: population.accounts.length,
    clean: options.clean ? cleanFigures(clean.stats) : null,
    days: clean.stats,
    falseAlarms: Object.fromEntries([...clean.falseAlarms].sort((a, b) => b[1] - a[1])),
    outcomes,
    seconds: { clean: cleanSeconds, scenarios: scenarioSeconds },
  };
}

function cleanFigures(days: readonly DayStats[]): CleanFigures {
  const sum = (f: (d: DayStats) => number): number => days.reduce((s, d) => s + f(d), 0);
  const wrongful = sum((d) => d.wrongfulSuspensions);
  return {
    accountDays: sum((d) => d.activeAccounts),
    checks: sum((d) => d.checks),
    stepUpAccountDays: sum((d) => d.stepUpAccounts),
    stepUps: sum((d) => d.stepUps),
    slowed: sum((d) => d.slowed),
    refused: sum((d) => d.refused),
    wrongfulSuspensions: wrongful,
    platformAlerts: sum((d) => d.platformAlerts),
    accountAlerts: wrongful,
  };
}

/** One seed in a worker thread (its own heap: the CLI's is capped small). */
function inWorker(options: SeedOptions, log: (line: string) => void): Promise<SeedResult> {
  const limits = { workerData: options, resourceLimits: { maxOldGenerationSizeMb: 3072 } };
  // From TypeScript sources (the bench, under tsx) the worker registers tsx itself: loader hooks do not reach workers on Node 20.
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); });`, { ...limits, eval: true })
    : new Worker(new URL('./worker.js', import.meta.url), limits);
  return new Promise((resolve, reject) => {
    worker.on('message', (message: { log?: string; result?: SeedResult }) => {
      if (message.log !== undefined) log(message.log);
      if (message.result) resolve(message.result);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`la simulation de la graine ${options.seed} s’est arrêtée (code ${code})`));
    });
  });
}
