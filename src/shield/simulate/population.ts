import { DAY_MS, HOUR_MS } from '../../domain/dates.js';
import { localTime } from '../local-time.js';
import type { Profile } from '../profile.js';
import type { Random} from './random.js';
import { mixSeed, stream } from './random.js';

/**
 * The simulated population: sites of every profession with their real daily shapes, their
 * professional accounts, their patients. Everything is drawn from the seed: the same seed
 * gives the same sites, and the same (seed, site, day) gives the same day of checks.
 */

/** Days of clean history before the measured window (the baseline learns from 28 days). */
export const WARMUP_DAYS = 28;
/** Day 0 of the simulation (a Monday, 2026-01-05 local); the measured window starts 28 days later. */
export const START_UTC_MS = Date.UTC(2026, 0, 5);
/** Measured days (1-based) of the epidemic week, and the day mergers take effect. */
export const EPIDEMIC_DAYS = { first: 15, last: 21 } as const;
export const MERGER_DAY = 20;
/** Beneficiary ids of leaked lists start here, above every site's pool. */
export const LEAKED_BASE = 1_000_000_000;

export interface PopulationOptions {
  sites: number;
  /** Measured days after the 28 days of warm-up. */
  days: number;
  seed: number;
}

export interface Site {
  index: number;
  id: number;
  profile: Profile;
  accounts: number[];
  /** Patients on a usual working day. */
  base: number;
  poolStart: number;
  poolSize: number;
  /** First day (absolute) of activity: 0 for established sites, later for new ones. */
  openDay: number;
  /** Absolute day from which the site's volume triples (a merger), Infinity if none. */
  mergerDay: number;
  /** Pharmacies: which Sunday of the month (0-based week) they are on duty; -1 never. */
  dutyWeek: number;
  network: string;
}

export interface Account {
  index: number;
  professionalId: number;
  site: number;
  profile: Profile;
  /** Share of the site's checks this account makes (0 for a dormant account). */
  share: number;
  /** Uses the web portal (a person's session) rather than practice software. */
  portal: boolean;
  device: string;
  /** A dormant account's last day of use (YYYY-MM-DD), long before the simulation; null otherwise. */
  dormantSince: string | null;
}

export interface Population {
  options: PopulationOptions;
  sites: Site[];
  accounts: Account[];
  /** Absolute days simulated: warm-up plus measured. */
  totalDays: number;
}

interface ProfileShape {
  share: number;
  range: readonly [number, number];
  /** Monday … Saturday, Sunday factors on the base. */
  week: readonly [number, number, number, number, number, number, number];
  weekdayHours: Readonly<Record<number, number>>;
  saturdayHours: Readonly<Record<number, number>>;
  calcProbability: number;
  accounts: readonly number[];
}

const span = (from: number, to: number, weight: number): Record<number, number> => {
  const hours: Record<number, number> = {};
  for (let h = from; h < to; h++) hours[h] = weight;
  return hours;
};

export const shapes: Readonly<Record<Exclude<Profile, 'other'>, ProfileShape>> = {
  pharmacy: {
    share: 0.35,
    range: [75, 300],
    week: [1.3, 1, 1, 1, 1, 0.5, 0],
    weekdayHours: { 8: 0.4, 9: 0.9, 10: 1, 11: 1, 12: 0.7, 13: 0.4, 14: 0.8, 15: 0.9, 16: 1, 17: 1.1, 18: 1.1, 19: 0.6 },
    saturdayHours: { ...span(9, 13, 1), 13: 0.3, ...span(14, 19, 0.8) },
    calcProbability: 0.9,
    accounts: [0.3, 0.45, 0.25],
  },
  physician: {
    share: 0.25,
    range: [15, 40],
    week: [1.3, 1, 1, 1, 1, 0.3, 0],
    weekdayHours: { 8: 0.6, 9: 1, 10: 1, 11: 1, 12: 0.3, 13: 0.2, 14: 0.6, 15: 1, 16: 1, 17: 1, 18: 1, 19: 0.4 },
    saturdayHours: span(8, 12, 1),
    calcProbability: 0.75,
    accounts: [0.9, 0.1],
  },
  dentist: {
    share: 0.08,
    range: [8, 20],
    week: [1.2, 1, 1, 1, 1, 0.2, 0],
    weekdayHours: { ...span(9, 12, 1), 12: 0.3, ...span(14, 19, 1) },
    saturdayHours: span(9, 12, 1),
    calcProbability: 0.8,
    accounts: [0.7, 0.3],
  },
  optician: {
    share: 0.06,
    range: [2, 10],
    week: [0.8, 1, 1, 1, 1, 1.2, 0],
    weekdayHours: { 10: 1, 11: 1, 12: 0.4, ...span(14, 19, 1) },
    saturdayHours: span(10, 19, 1),
    calcProbability: 0.8,
    accounts: [0.6, 0.4],
  },
  audiologist: {
    share: 0.03,
    range: [1, 6],
    week: [1, 1, 1, 1, 1, 0.5, 0],
    weekdayHours: { ...span(9, 12, 1), ...span(14, 18, 1) },
    saturdayHours: span(9, 12, 1),
    calcProbability: 0.8,
    accounts: [1],
  },
  nurse: {
    share: 0.12,
    range: [10, 30],
    week: [1.2, 1, 1, 1, 1, 0.6, 0],
    weekdayHours: { 7: 1, 8: 1.2, 9: 1, 10: 0.6, 11: 0.5, 12: 0.2, 16: 0.4, 17: 0.8, 18: 0.8, 19: 0.5 },
    saturdayHours: span(7, 12, 1),
    calcProbability: 0.8,
    accounts: [0.7, 0.3],
  },
  laboratory: {
    share: 0.06,
    range: [40, 150],
    week: [1.3, 1, 1, 1, 1, 0.5, 0],
    weekdayHours: { 7: 1.2, 8: 1.5, 9: 1.3, 10: 1, 11: 0.7, 12: 0.3, 13: 0.2, 14: 0.4, 15: 0.4, 16: 0.3, 17: 0.2 },
    saturdayHours: span(7, 12, 1),
    calcProbability: 0.8,
    accounts: [0, 0.6, 0.4],
  },
  hospital: {
    share: 0.05,
    range: [100, 400],
    week: [1.1, 1, 1, 1, 1, 0.8, 0.7],
    weekdayHours: { ...span(0, 7, 0.3), 7: 0.6, ...span(8, 12, 1), 12: 0.8, 13: 0.8, ...span(14, 18, 1), ...span(18, 21, 0.7), ...span(21, 24, 0.4) },
    saturdayHours: { ...span(0, 7, 0.3), 7: 0.6, ...span(8, 12, 1), 12: 0.8, 13: 0.8, ...span(14, 18, 1), ...span(18, 21, 0.7), ...span(21, 24, 0.4) },
    calcProbability: 0.7,
    accounts: [0, 0.5, 0.5],
  },
};

/** Hours of an on-duty Sunday (a pharmacy de garde). */
const dutyHours = span(9, 20, 1);
const DUTY_FACTOR = 0.4;
export const MISS_PROBABILITY = 0.03;
export const INSURERS = 40;

const simulatedProfiles = Object.keys(shapes) as (keyof typeof shapes)[];

export function shapeOf(profile: Profile): ProfileShape {
  return shapes[profile === 'other' ? 'physician' : profile];
}

/** Builds the population of a seed: sites, accounts (1–3 per site), special sites. */
export function buildPopulation(options: PopulationOptions): Population {
  if (!Number.isInteger(options.sites) || options.sites < 50) throw new RangeError('at least 50 sites');
  if (!Number.isInteger(options.days) || options.days < 14) throw new RangeError('at least 14 measured days');
  const rng = stream(options.seed, 0x5e7e5);
  const totalDays = WARMUP_DAYS + options.days;
  const sites: Site[] = [];
  const accounts: Account[] = [];
  let pool = 1;
  for (let index = 0; index < options.sites; index++) {
    const profile = drawProfile(rng);
    const shape = shapes[profile];
    const [low, high] = shape.range;
    const base = clamp(rng.logNormal(Math.sqrt(low * high), Math.log(high / low) / 4), low, high);
    const isNew = rng.chance(0.05);
    const poolSize = Math.max(50, Math.ceil(base * 20));
    const site: Site = {
      index,
      id: index + 1,
      profile,
      accounts: [],
      base,
      poolStart: pool,
      poolSize,
      openDay: isNew ? rng.int(WARMUP_DAYS + 2, totalDays - 5) : 0,
      mergerDay: Infinity,
      dutyWeek: profile === 'pharmacy' ? rng.int(0, 3) : -1,
      network: `net-${index + 1}`,
    };
    pool += poolSize;
    const count = 1 + drawIndex(rng, shape.accounts);
    const weights = Array.from({ length: count }, (_, i) => (i === 0 ? 1 : rng.uniform(0.3, 0.8)));
    const total = weights.reduce((s, w) => s + w, 0);
    for (const weight of weights) {
      const account = newAccount(accounts.length, site, weight / total, rng.chance(0.2), null);
      accounts.push(account);
      site.accounts.push(account.index);
    }
    sites.push(site);
  }
  // Accounts of people who left: history long before the window, then nothing (the dormant scenario reuses one).
  const dormant = Math.max(2, Math.round(options.sites * 0.01));
  for (let i = 0; i < dormant; i++) {
    const site = sites[rng.int(0, sites.length - 1)] as Site;
    const lastSeen = localTime(START_UTC_MS - rng.int(100, 200) * DAY_MS + 12 * HOUR_MS).day;
    const account = newAccount(accounts.length, site, 0, false, lastSeen);
    accounts.push(account);
    site.accounts.push(account.index);
  }
  // Three mergers: an established pharmacy's volume triples from day 20.
  const pharmacies = sites.filter((s) => s.profile === 'pharmacy' && s.openDay === 0);
  for (let i = 0; i < 3 && pharmacies.length > 0 && MERGER_DAY <= options.days; i++) {
    const site = pharmacies.splice(rng.int(0, pharmacies.length - 1), 1)[0] as Site;
    site.mergerDay = WARMUP_DAYS + MERGER_DAY - 1;
  }
  return { options, sites, accounts, totalDays };
}

function newAccount(index: number, site: Site, share: number, portal: boolean, dormantSince: string | null): Account {
  return { index, professionalId: 100_000 + index, site: site.index, profile: site.profile, share, portal, device: `dev-${index}`, dormantSince };
}

function drawProfile(rng: Random): keyof typeof shapes {
  let u = rng.next();
  for (const profile of simulatedProfiles) {
    u -= shapes[profile].share;
    if (u < 0) return profile;
  }
  return 'pharmacy';
}

function drawIndex(rng: Random, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] ?? 0;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Local midnight (Europe/Paris) of absolute day `day`, in ms. */
export function dayStartMs(day: number): number {
  const utcMidnight = START_UTC_MS + day * DAY_MS;
  return utcMidnight - localTime(utcMidnight).hour * HOUR_MS;
}

/** The measured day (1-based) of an absolute day; ≤ 0 during warm-up. */
export function measuredDay(day: number): number {
  return day - WARMUP_DAYS + 1;
}

export function absoluteDay(measured: number): number {
  return measured + WARMUP_DAYS - 1;
}

/** 0 = Sunday … 6 = Saturday (day 0 is a Monday). */
export function weekdayOf(day: number): number {
  return (day + 1) % 7;
}

/** A site's expected checks on a day, before noise, and the hours they fall in (null: closed). */
export function siteDay(site: Site, day: number): { mean: number; hours: Readonly<Record<number, number>> } | null {
  if (day < site.openDay) return null;
  const shape = shapes[site.profile === 'other' ? 'physician' : site.profile];
  const weekday = weekdayOf(day);
  let factor = shape.week[(weekday + 6) % 7] ?? 0;
  let hours = weekday === 6 ? shape.saturdayHours : shape.weekdayHours;
  if (weekday === 0 && site.profile !== 'hospital') {
    const dayOfMonth = Number(localTime(dayStartMs(day) + 12 * HOUR_MS).day.slice(8));
    if (site.dutyWeek < 0 || Math.floor((dayOfMonth - 1) / 7) !== site.dutyWeek) return null;
    factor = DUTY_FACTOR;
    hours = dutyHours;
  }
  if (factor <= 0) return null;
  const measured = measuredDay(day);
  if ((site.profile === 'pharmacy' || site.profile === 'physician') && measured >= EPIDEMIC_DAYS.first && measured <= EPIDEMIC_DAYS.last) factor *= 2;
  if (day >= site.mergerDay) factor *= 3;
  return { mean: site.base * factor, hours };
}

/** Insurer of a beneficiary (1–40, a few large ones), fixed by its id. */
export function insurerOf(patient: number): number {
  const u = mixSeed(patient, 0x1a5) / 4_294_967_296;
  // Zipf-like: insurer k with weight 1/k^0.8.
  return Math.min(INSURERS, 1 + Math.floor(INSURERS * u ** 2.2));
}

/** One day of legitimate traffic, sorted by time: checks, then the calculations that follow some of them. */
export interface DayTraffic {
  day: number;
  startMs: number;
  checks: number;
  /** Per check (index < checks). */
  time: Float64Array;
  account: Int32Array;
  patient: Int32Array;
  miss: Uint8Array;
  /** Per check: delay of the following calculation (ms), -1 for none. */
  calcAt: Float64Array;
  /** Event order: a value v < checks is check v, v ≥ checks is the calculation of check v - checks. */
  order: Uint32Array;
}

const INDEX_BITS = 2 ** 22;

/** Draws every site's checks of a day; deterministic by (seed, site, day). */
export function generateDay(population: Population, day: number): DayTraffic {
  const seed = population.options.seed;
  const startMs = dayStartMs(day);
  const plans: { site: Site; count: number; rng: Random; hours: readonly [number, number][] }[] = [];
  let checks = 0;
  for (const site of population.sites) {
    const plan = siteDay(site, day);
    if (!plan) continue;
    const rng = stream(seed, site.index, day);
    const count = rng.poisson(plan.mean * rng.logNormal(1, 0.1));
    if (count === 0) continue;
    plans.push({ site, count, rng, hours: cumulative(plan.hours) });
    checks += count;
  }
  if (checks * 2 >= INDEX_BITS) throw new RangeError('too many checks in a day for the simulator');
  const time = new Float64Array(checks);
  const account = new Int32Array(checks);
  const patient = new Int32Array(checks);
  const miss = new Uint8Array(checks);
  const calcAt = new Float64Array(checks).fill(-1);
  const keys: number[] = [];
  let i = 0;
  for (const { site, count, rng, hours } of plans) {
    const active = site.accounts.filter((a) => (population.accounts[a]?.share ?? 0) > 0);
    const calcProbability = shapeOf(site.profile).calcProbability;
    for (let c = 0; c < count; c++, i++) {
      const offset = drawHour(rng, hours) * HOUR_MS + Math.floor(rng.next() * HOUR_MS);
      time[i] = startMs + offset;
      account[i] = drawAccount(rng, population.accounts, active);
      // Regulars come back: low pool indices are drawn more often.
      patient[i] = site.poolStart + Math.floor(site.poolSize * rng.next() ** 2);
      miss[i] = rng.chance(MISS_PROBABILITY) ? 1 : 0;
      keys.push(offset * INDEX_BITS + i);
      if (miss[i] === 0 && rng.chance(calcProbability)) {
        const at = Math.min(offset + rng.int(60_000, 10 * 60_000), DAY_MS - 1);
        calcAt[i] = startMs + at;
        keys.push(at * INDEX_BITS + checks + i);
      }
    }
  }
  const sorted = Float64Array.from(keys).sort();
  const order = new Uint32Array(sorted.length);
  for (let k = 0; k < sorted.length; k++) order[k] = (sorted[k] ?? 0) % INDEX_BITS;
  return { day, startMs, checks, time, account, patient, miss, calcAt, order };
}

function cumulative(hours: Readonly<Record<number, number>>): [number, number][] {
  const entries = Object.entries(hours).map(([h, w]) => [Number(h), w] as [number, number]);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let running = 0;
  return entries.map(([h, w]) => [h, (running += w / total)]);
}

function drawHour(rng: Random, hours: readonly [number, number][]): number {
  const u = rng.next();
  for (const [hour, upTo] of hours) if (u < upTo) return hour;
  return hours[hours.length - 1]?.[0] ?? 12;
}

function drawAccount(rng: Random, accounts: readonly Account[], active: readonly number[]): number {
  let u = rng.next();
  for (const a of active) {
    u -= accounts[a]?.share ?? 0;
    if (u < 0) return a;
  }
  return active[active.length - 1] ?? 0;
}

/** The hours of a profile's working day, cumulative, for attackers that blend in. */
export function workingHours(profile: Profile, day: number): readonly [number, number][] | null {
  const shape = shapeOf(profile);
  const weekday = weekdayOf(day);
  if (weekday === 0 && profile !== 'hospital') return null;
  if ((shape.week[(weekday + 6) % 7] ?? 0) <= 0) return null;
  return cumulative(weekday === 6 ? shape.saturdayHours : shape.weekdayHours);
}

export { drawHour };
