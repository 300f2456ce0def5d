import { nirKey, UNKNOWN_BIRTH_MONTH_CODES } from '../domain/identifiers/index.js';
import { NIR_PLACES } from './places.js';
import type { NirPlace } from './places.js';
import { pad, Scatter } from './scatter.js';

/** Sex digits: 1 and 2 for registered people, 3/4/7/8 for provisional numbers (NIA…). */
const SEX_DIGITS = ['1', '2', '3', '4', '7', '8'] as const;
export type SexDigit = (typeof SEX_DIGITS)[number];

const MONTH_CODES: readonly string[] = [...Array.from({ length: 12 }, (_, i) => pad(i + 1, 2)), ...UNKNOWN_BIRTH_MONTH_CODES];
const MONTH_INDEX: ReadonlyMap<string, number> = new Map(MONTH_CODES.map((code, index) => [code, index]));
const YEARS = 100;
const ORDERS = 999;

/** MSA provisional numbers: the prefix, then 7 free digits. */
const MSA_PREFIX = '555555';
const MSA_SPACE = 10_000_000;
const MSA_OFFSET = 1_234_567;

/**
 * Hands out NIRs that are distinct by construction within one insurer. A NIR is
 * sex · year · month · place · commune · order; each (sex, year, month, place) "bucket" keeps
 * a counter, and the n-th person of a bucket gets the commune and order numbered n through a
 * bijection. Memory is one counter per possible bucket (about 8 MB), whatever the volume.
 */
export class NirSpace {
  private readonly counters = new Uint32Array(SEX_DIGITS.length * YEARS * MONTH_CODES.length * NIR_PLACES.length);
  private readonly msa = new Scatter(MSA_SPACE);
  private msaCount = 0;

  /**
   * `year2` is the NIR's 2-digit year, `monthCode` 01–12 or an unknown-month code.
   * @throws RangeError when every place of that kind is full for this sex, year and month.
   */
  allocate(sexDigit: SexDigit, year2: string, monthCode: string, place: NirPlace): string {
    const month = MONTH_INDEX.get(monthCode);
    if (month === undefined) throw new RangeError(`Unknown NIR month code ${monthCode}`);
    const head = ((SEX_DIGITS.indexOf(sexDigit) * YEARS + Number(year2)) * MONTH_CODES.length + month) * NIR_PLACES.length;
    let current = place;
    do {
      const bucket = head + current.index;
      const count = this.counters[bucket] ?? 0;
      if (count < capacity(current)) {
        this.counters[bucket] = count + 1;
        return withKey(`${sexDigit}${year2}${monthCode}${current.prefix}${slotDigits(current, bucket, count)}`);
      }
      current = NIR_PLACES[current.next] ?? place;
    } while (current !== place);
    throw new RangeError(`No NIR left for ${sexDigit}${year2}${monthCode} in any place like ${place.prefix}`);
  }

  /** A distinct MSA provisional number (only its key is checked by anyone). */
  allocateMsa(): string {
    return withKey(`${MSA_PREFIX}${pad(this.msa.at(this.msaCount++, MSA_OFFSET), 7)}`);
  }
}

function capacity(place: NirPlace): number {
  return communeCount(place) * ORDERS;
}

/** One bijection per place; the bucket number offsets it so that buckets do not all start at 001 001. */
const SLOTS: readonly Scatter[] = NIR_PLACES.map((place) => new Scatter(capacity(place)));

function communeCount(place: NirPlace): number {
  return place.communeDigits === 0 ? 1 : 10 ** place.communeDigits - 1;
}

/** Commune (if any) and order for the `count`-th person of a bucket; 000 and 00 never occur. */
function slotDigits(place: NirPlace, bucket: number, count: number): string {
  const slot = (SLOTS[place.index] as Scatter).at(count, bucket);
  const communes = communeCount(place);
  const order = pad(1 + Math.floor(slot / communes), 3);
  return place.communeDigits === 0 ? order : `${pad(1 + (slot % communes), place.communeDigits)}${order}`;
}

function withKey(body: string): string {
  return `${body}${nirKey(body)}`;
}
