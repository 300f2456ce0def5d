import { MINUTE_MS, type CounterAdd, type CounterRead, type Grain } from './counters/index.js';
import { HOUR_MS } from '../domain/dates.js';
import { localTime, offHours } from './local-time.js';
import { profiles, type Profile } from './profile.js';
import type { Signals } from './rules.js';

/** Who checked, from where (the engine's Subject, or an access record replayed). */
interface CheckedBy {
  professionalId: number;
  siteId: number;
  clientId: string | null;
  network: string;
  device: string | null;
}

/** What the check found (the engine's Observation, or an access record replayed). */
interface Found {
  covered: boolean;
  beneficiary: string | null;
  insurerId: number;
  queryKey: string;
}

/** Keys read over a day only keep hour buckets; keys read over an hour at most keep minute buckets. */
const DAILY: Grain = 'hour';
const HOURLY: Grain = 'minute';

/**
 * What one rights check adds to the counters: where from, and whom it disclosed (or the
 * miss). Replayed from the access log the same way. Each key keeps only the buckets its
 * reads need (`Grain`): read over a day, hours; over an hour or less, minutes.
 */
export function lookupAdds(subject: CheckedBy, observation: Found, nowMs: number, keys: CounterNames = counterNames(subject)): CounterAdd[] {
  const where: CounterAdd[] = [
    { key: keys.networks, member: subject.network, grain: DAILY },
    { key: keys.devices, member: subject.device ?? '', grain: DAILY },
  ];
  const beneficiary = observation.beneficiary;
  if (!observation.covered || beneficiary === null) return [...where, { key: keys.misses, member: observation.queryKey, grain: HOURLY }];
  return [
    ...where,
    { key: PEOPLE_KEY, member: beneficiary, grain: HOURLY },
    { key: keys.people, member: beneficiary },
    { key: keys.insurers, member: String(observation.insurerId), grain: DAILY },
    ...(offHours(localTime(nowMs)) ? [{ key: keys.offHours, member: beneficiary, grain: DAILY }] : []),
    ...keys.shared.map(({ key }) => ({ key, member: beneficiary, grain: HOURLY })),
  ];
}

/** The credentials and places several professionals share: their software key, their site, their network. */
export type Shared = 'client' | 'site' | 'network';

/** Each shared level's key (counter and requests in flight), for one check. */
export function sharedLevels(subject: CheckedBy): { level: Shared; key: string }[] {
  return [
    ...(subject.clientId === null ? [] : [{ level: 'client' as const, key: clientKey(subject.clientId) }]),
    { level: 'site', key: `s:${subject.siteId}` },
    { level: 'network', key: `w:${subject.network}` },
  ];
}

/** The counters one account's checks add to, at one place (its shared levels). */
export interface CounterNames {
  readonly people: string;
  readonly misses: string;
  readonly insurers: string;
  readonly offHours: string;
  readonly networks: string;
  readonly devices: string;
  readonly shared: readonly { level: Shared; key: string }[];
}

export function counterNames(who: CheckedBy): CounterNames {
  const id = who.professionalId;
  return { people: `a:${id}`, misses: `m:${id}`, insurers: `i:${id}`, offHours: `o:${id}`, networks: `n:${id}`, devices: `d:${id}`, shared: sharedLevels(who) };
}

/** One account at one place: its counters' names, and what its requests hold and read. */
export interface AccountKeys extends CounterNames {
  readonly siteId: number;
  readonly clientId: string | null;
  readonly network: string;
  /** The keys a request is in flight under: the account's, then each shared level's. */
  readonly hold: readonly string[];
  /** What admission reads: the VOLUME_READS counts, then each shared level's minute. */
  readonly admission: readonly CounterRead[];
  /** What an answered check reads (guardedReads). */
  readonly guarded: readonly CounterRead[];
}

/**
 * Each account's keys, built once rather than at every request: the strings keep their
 * hash for the maps they index, and a request allocates none of them. Bounded; an account
 * seen at another site or from another network gets new ones.
 */
export class KeysCache {
  private readonly byAccount = new Map<number, AccountKeys>();

  constructor(
    private readonly graceMs: number,
    private readonly max = 100_000,
  ) {}

  of(who: CheckedBy): AccountKeys {
    const known = this.byAccount.get(who.professionalId);
    if (known && known.siteId === who.siteId && known.clientId === who.clientId && known.network === who.network) return known;
    if (this.byAccount.size >= this.max) this.byAccount.clear();
    const names = counterNames(who);
    const id = who.professionalId;
    const keys: AccountKeys = {
      ...names, siteId: who.siteId, clientId: who.clientId, network: who.network,
      hold: [`p:${id}`, ...names.shared.map((s) => s.key)],
      admission: [...volumeReads(id), ...names.shared.map((s) => ({ key: s.key, windowMs: MINUTE_MS }))],
      guarded: guardedReads(id, this.graceMs),
    };
    this.byAccount.set(id, keys);
    return keys;
  }
}

/** The platform's hourly total of a profile's checks that found rights, built once per profile (this is added at every check). */
const VOLUME_TOTALS = Object.fromEntries(profiles.map((profile) => [profile, `volume:${profile}`])) as Record<Profile, string>;

export function volumeTotal(profile: Profile): string {
  return VOLUME_TOTALS[profile];
}

/** Every person disclosed on the platform, whoever to: the platform watch counts them per hour. */
export const PEOPLE_KEY = 'people';

/** A calculation for a patient: the check before it was followed. */
export function calculationAdd(professionalId: number, beneficiary: string): CounterAdd {
  return { key: `c:${professionalId}`, member: beneficiary, grain: DAILY };
}

/**
 * The "day" signals' window: 23 hours, which hour buckets round out to 23–24 hours. A
 * pharmacy's evening then never counts yesterday's evening too, and its count compares
 * with the calendar days its baseline learned from.
 */
export const DAY_WINDOW_MS = 23 * HOUR_MS;
/** The counters behind the guarded signals, read on every request, in the order `toSignals` expects. */
export function guardedReads(id: number, graceMs: number): CounterRead[] {
  return [
    ...volumeReads(id),
    { key: `m:${id}`, windowMs: HOUR_MS },
    { key: `c:${id}`, windowMs: DAY_WINDOW_MS },
    { key: `o:${id}`, windowMs: DAY_WINDOW_MS },
    { key: `a:${id}`, windowMs: graceMs },
  ];
}

/**
 * The people disclosed in the last minute, hour and day: all that admission judges, first
 * of `guardedReads`. Every count is a sketch merge (in Redis, a PFCOUNT of two keys), so
 * admission reads these three only.
 */
export function volumeReads(id: number): CounterRead[] {
  return [
    { key: `a:${id}`, windowMs: MINUTE_MS },
    { key: `a:${id}`, windowMs: HOUR_MS },
    { key: `a:${id}`, windowMs: DAY_WINDOW_MS },
  ];
}

/** How many counts volumeReads reads (admission's counts begin with them). */
export const VOLUME_READS = volumeReads(0).length;

/** The counters behind the signals shown without a threshold: read for the console only. */
export function shownReads(id: number): CounterRead[] {
  return [
    { key: `i:${id}`, windowMs: DAY_WINDOW_MS },
    { key: `n:${id}`, windowMs: DAY_WINDOW_MS },
    { key: `d:${id}`, windowMs: DAY_WINDOW_MS },
  ];
}

/** Signals from counts in the order of `guardedReads` then `shownReads` (shown ones 0 when not read). */
export function toSignals(counts: readonly number[]): Signals {
  const [minute = 0, hour = 0, day = 0, missesHour = 0, calculatedDay = 0, offHoursDay = 0, inGrace = 0, insurersDay = 0, networksDay = 0, devicesDay = 0] = counts;
  // Checked within the grace may still be calculated: not counted as never calculated yet.
  return { minute, hour, day, missesHour, unfollowedDay: Math.max(0, day - calculatedDay - inGrace), offHoursDay, insurersDay, networksDay, devicesDay };
}


function clientKey(clientId: string): string {
  return `k:${clientId}`;
}

/** Volume signals with the requests in flight added: what the account would have disclosed once they are answered. */
export function withInFlight(signals: Signals, inFlight: number): Signals {
  return { ...signals, minute: signals.minute + inFlight, hour: signals.hour + inFlight, day: signals.day + inFlight };
}
