import { encodeLeaf, type StoredAccessRecord } from '../src/audit/leaf.js';
import type { MerkleFrontier} from '../src/audit/merkle.js';
import { leafHash, type CompletedNode } from '../src/audit/merkle.js';
import { NODE_LEVELS } from '../src/audit/nodes.js';
import { DAY_MS } from '../src/domain/dates.js';

/**
 * The synthetic access log of the incidents bench: who checks whom, when, in the order the
 * sequencer gives (records in time order, one transaction per batch), and the leaves,
 * interior nodes and frontier the sequencer would write for them, computed with the
 * project's own encodeLeaf, leafHash and MerkleFrontier.
 *
 * Population. 20 insurers with uneven market shares; beneficiaries 1…B (B = 10 M by
 * default), three ranks per family (id = 3·family + rank), the family's insurer drawn from
 * the shares; 50,000 professional accounts at 30,000 sites. Pharmacy accounts (two per
 * pharmacy) check ~150 patients a weekday each (log-normal spread) and carry 80 % of the
 * log; the other 48,000-odd accounts (doctors, nurses, dentists, opticians…) share the rest
 * with a wide log-normal skew. So the number of busy pharmacy accounts follows the size of
 * the log (≈1,800 at 100 M records a year). Each site serves a neighbourhood: its patients
 * are drawn around a point of the beneficiary range (triangular, ±12,000 ids for a
 * pharmacy), so a pharmacy sees the same people again. Weekdays 1, Saturday 0.7, Sunday
 * 0.08 (on-duty pharmacies); opening hours 06:30–19:00 UTC. The log's year ends on the
 * day before it is generated (the clock's), so that its months are the platform's last twelve.
 */
export const LOG_DAYS = 365;

/** The first day (UTC midnight, ms) of a log generated on `today`: LOG_DAYS whole days, the last one yesterday. */
export function logStartMs(today: string): number {
  return Date.parse(`${today}T00:00:00Z`) - LOG_DAYS * DAY_MS;
}
export const INSURERS = 20;
export const PROFESSIONALS = 50_000;
export const SITES = 30_000;
export const PHARMACY_DAILY = 150;
const PHARMACY_SHARE = 0.8;
const OPEN_FROM_US = 6.5 * 3_600_000_000;
const OPEN_SPAN_US = 12.5 * 3_600_000_000;
const WEEKDAY_WEIGHT = [0.08, 1, 1, 1, 1, 1, 0.7]; // Sunday first (getUTCDay)

/** Profession codes of the non-pharmacy accounts, with their share and what they are disclosed. */
const OTHER_PROFESSIONS: readonly { code: string; share: number; domains: string[]; siteKind: string }[] = [
  { code: '10', share: 0.4, domains: ['MED', 'MEDE'], siteKind: 'cabinet' },
  { code: '60', share: 0.18, domains: ['AUXM'], siteKind: 'cabinet' },
  { code: '70', share: 0.12, domains: ['AUXM'], siteKind: 'cabinet' },
  { code: '40', share: 0.1, domains: ['DENT'], siteKind: 'cabinet' },
  { code: '28', share: 0.08, domains: ['OPTI'], siteKind: 'magasin_optique' },
  { code: '26', share: 0.04, domains: ['AUDI'], siteKind: 'centre_audition' },
  { code: '50', share: 0.04, domains: ['SAGE'], siteKind: 'cabinet' },
  { code: '21', share: 0.04, domains: ['LABO', 'PHAR'], siteKind: 'laboratoire' },
];

/** A small, fast, seeded generator (mulberry32): the log is the same for the same size. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A 32-bit integer hash (for stable per-id choices). */
export function hash32(value: number): number {
  let h = Math.imul(value ^ (value >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Walker's alias method: O(1) weighted draws. */
class Alias {
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: Float64Array) {
    const n = weights.length;
    const total = weights.reduce((a, b) => a + b, 0);
    this.probability = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((w, i) => (w < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.probability[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l]) < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.probability[i] = 1;
  }

  draw(next: () => number): number {
    const u = next() * this.probability.length;
    const i = Math.floor(u);
    return u - i < (this.probability[i] as number) ? i : (this.alias[i] as number);
  }
}

export interface Account {
  /** professional.id */
  id: number;
  siteId: number;
  professionCode: string;
  pharmacy: boolean;
  domains: readonly string[];
  siteKind: string;
}

export class Population {
  readonly pharmacyAccounts: number;
  readonly pharmacySites: number;
  readonly accounts: Account[] = [];
  readonly dayCounts: number[];
  private readonly pick: Alias;
  private readonly insurerOfBucket = new Uint8Array(4096);
  readonly insurerShares: number[];

  constructor(
    readonly records: number,
    readonly beneficiaries: number,
    /** The log's first day (UTC midnight, ms): logStartMs of the day it is generated. */
    readonly startMs: number,
  ) {
    const next = random(0x1c1de47);
    const weekdays = Array.from({ length: LOG_DAYS }, (_, d) => WEEKDAY_WEIGHT[new Date(startMs + d * DAY_MS).getUTCDay()] as number);
    const weekdayEquivalents = weekdays.reduce((a, b) => a + b, 0);
    this.pharmacyAccounts = Math.max(2, Math.round((PHARMACY_SHARE * records) / (PHARMACY_DAILY * weekdayEquivalents)));
    this.pharmacySites = Math.ceil(this.pharmacyAccounts / 2);
    const weights = new Float64Array(PROFESSIONALS);
    let otherTotal = 0;
    const professionPick = new Alias(Float64Array.from(OTHER_PROFESSIONS.map((p) => p.share)));
    for (let i = 0; i < PROFESSIONALS; i++) {
      const pharmacy = i < this.pharmacyAccounts;
      const profession = pharmacy ? undefined : OTHER_PROFESSIONS[professionPick.draw(next)];
      const siteId = pharmacy ? Math.floor(i / 2) + 1 : this.pharmacySites + ((i - this.pharmacyAccounts) % (SITES - this.pharmacySites)) + 1;
      this.accounts.push({
        id: i + 1,
        siteId,
        professionCode: profession?.code ?? '21',
        pharmacy,
        domains: profession?.domains ?? ['PHAR'],
        siteKind: profession?.siteKind ?? 'officine',
      });
      // Pharmacy accounts: log-normal around 150 a weekday; others: log-normal, σ = 1.2.
      weights[i] = pharmacy ? PHARMACY_DAILY * Math.exp(0.3 * normal(next) - 0.045) : Math.exp(1.2 * normal(next));
      if (!pharmacy) otherTotal += weights[i] as number;
    }
    const pharmacyTotal = weights.slice(0, this.pharmacyAccounts).reduce((a, b) => a + b, 0);
    // The others carry 20 % of the log whatever their number.
    const otherScale = ((1 - PHARMACY_SHARE) / PHARMACY_SHARE) * (pharmacyTotal / otherTotal);
    for (let i = this.pharmacyAccounts; i < PROFESSIONALS; i++) weights[i] = (weights[i] as number) * otherScale;
    this.pick = new Alias(weights);
    // Records per day, summing exactly to `records`.
    let given = 0;
    let cumulative = 0;
    this.dayCounts = weekdays.map((w) => {
      cumulative += w;
      const upTo = Math.round((records * cumulative) / weekdayEquivalents);
      const count = upTo - given;
      given = upTo;
      return count;
    });
    this.insurerShares = Array.from({ length: INSURERS }, (_, i) => 1 / (i + 1) ** 0.8);
    const shareTotal = this.insurerShares.reduce((a, b) => a + b, 0);
    let bucket = 0;
    let sum = 0;
    this.insurerShares.forEach((share, i) => {
      sum += share;
      const end = Math.round((sum / shareTotal) * this.insurerOfBucket.length);
      for (; bucket < end; bucket++) this.insurerOfBucket[bucket] = i + 1;
    });
  }

  /** insurer.id (1…20) of a beneficiary: the family's. */
  insurerOf(beneficiaryId: number): number {
    return this.insurerOfBucket[hash32(Math.floor((beneficiaryId - 1) / 3)) & 4095] as number;
  }

  drawAccount(next: () => number): Account {
    return this.accounts[this.pick.draw(next)] as Account;
  }

  /** A patient of this site: around the site's neighbourhood of the beneficiary range. */
  drawBeneficiary(account: Account, next: () => number): number {
    const centre = hash32(account.siteId * 7919) % this.beneficiaries;
    const spread = account.pharmacy ? 12_000 : 20_000;
    const offset = Math.round((next() + next() - 1) * spread);
    return ((((centre + offset) % this.beneficiaries) + this.beneficiaries) % this.beneficiaries) + 1;
  }
}

/** One record as COPY text, and as the encoder's input once its transaction id is known. */
export interface GeneratedRecord {
  id: number;
  atMicros: number;
  insurerId: number | null;
  beneficiaryId: number | null;
  account: Account;
  clientId: string | null;
  sessionRef: string | null;
  ip: string;
  device: string | null;
  purpose: string;
  disclosed: readonly string[];
  result: string;
}

/** Records 1…N in time order, day by day. */
export function* generateRecords(population: Population, seed = 0x5eed): Generator<GeneratedRecord & { day: number }> {
  const next = random(seed);
  let id = 0;
  for (let day = 0; day < LOG_DAYS; day++) {
    const count = population.dayCounts[day] as number;
    const dayStart = (population.startMs + day * DAY_MS) * 1000;
    const step = OPEN_SPAN_US / Math.max(count, 1);
    for (let j = 0; j < count; j++) {
      id++;
      const atMicros = dayStart + OPEN_FROM_US + Math.floor((j + next()) * step);
      const account = population.drawAccount(next);
      const roll = next();
      const result = roll < 0.92 ? 'covered' : roll < 0.96 ? 'not_covered' : 'not_found';
      const purposeRoll = next();
      const purpose = purposeRoll < 0.8 ? 'rights_check' : purposeRoll < 0.95 ? 'coverage' : 'engagement';
      let insurerId: number | null = null;
      let beneficiaryId: number | null = null;
      if (result !== 'not_found' || roll > 0.99) {
        const drawn = population.drawBeneficiary(account, next);
        insurerId = population.insurerOf(drawn);
        if (result !== 'not_found') beneficiaryId = drawn;
      }
      const site = account.siteId;
      const viaSoftware = account.pharmacy || (account.id & 1) === 0;
      yield {
        day,
        id,
        atMicros,
        insurerId,
        beneficiaryId,
        account,
        clientId: viaSoftware ? `lgo-${(hash32(site) % 12) + 1}-site-${site}` : null,
        // The hash of a web session (one a day per account), never a cookie.
        sessionRef: viaSoftware ? null : `s${hash32(account.id * 401 + day).toString(36)}${hash32(account.id + day * 7).toString(36)}`,
        ip: `100.${64 + ((site >>> 16) & 63)}.${(site >>> 8) & 255}.${site & 255}`,
        device: account.pharmacy ? `poste-${(hash32(account.id) % 4) + 1}` : null,
        purpose,
        disclosed: result === 'covered' ? account.domains : [],
        result,
      };
    }
  }
}

export function isoMicros(atMicros: number): string {
  const ms = Math.floor(atMicros / 1000);
  const rest = atMicros - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
}

const nullable = (value: string | number | null): string => (value === null ? '\\N' : String(value));

/** The COPY text line of a record, for columns RECORD_COPY_COLUMNS (no escaping needed: no tab, newline or backslash). */
export function recordLine(record: GeneratedRecord): string {
  return `${record.id}\t${isoMicros(record.atMicros)}\t${nullable(record.insurerId)}\t${nullable(record.beneficiaryId)}\t${record.account.id}\t${record.account.siteId}\t${nullable(record.clientId)}\t${nullable(record.sessionRef)}\t${record.ip}\t${nullable(record.device)}\t${record.purpose}\t{${record.disclosed.join(',')}}\t${record.result}\n`;
}

export const RECORD_COPY_COLUMNS = ['id', 'at', 'insurer_id', 'beneficiary_id', 'professional_id', 'site_id', 'client_id', 'session_ref', 'ip', 'device', 'purpose', 'disclosed', 'result'];

/** The record as the database will hold it, with the transaction id it got. */
export function storedRecord(record: GeneratedRecord, xid: bigint): StoredAccessRecord {
  return {
    id: record.id,
    atMicros: BigInt(record.atMicros),
    xid,
    insurerId: record.insurerId,
    beneficiaryId: record.beneficiaryId,
    professionalId: record.account.id,
    siteId: record.account.siteId,
    clientId: record.clientId,
    sessionRef: record.sessionRef,
    ip: record.ip,
    device: record.device,
    purpose: record.purpose,
    disclosed: record.disclosed,
    result: record.result,
  };
}

/**
 * Appends a batch's leaves to the frontier as the sequencer does, and returns the COPY
 * text of access_leaf and of the interior nodes kept (every eighth level).
 */
export function leafLines(records: readonly GeneratedRecord[], xid: bigint, frontier: MerkleFrontier): { leaves: string; nodes: string; nodeCount: number } {
  const leaves: string[] = [];
  const nodes: string[] = [];
  const keep = (node: CompletedNode): void => {
    if (node.level % NODE_LEVELS === 0) nodes.push(`${node.level}\t${node.index}\t\\\\x${node.hash.toString('hex')}\n`);
  };
  for (const record of records) {
    const hash = leafHash(encodeLeaf(storedRecord(record, xid)));
    leaves.push(`${frontier.size}\t${isoMicros(record.atMicros)}\t${record.id}\t\\\\x${hash.toString('hex')}\n`);
    frontier.append(hash, keep);
  }
  return { leaves: leaves.join(''), nodes: nodes.join(''), nodeCount: nodes.length };
}

/** The calendar month (UTC) of a day of the log, as its first day. */
export function monthOf(startMs: number, day: number): Date {
  const date = new Date(startMs + day * DAY_MS);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}
