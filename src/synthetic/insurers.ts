import { generateAmcNumber } from '../domain/identifiers/index.js';
import { chance, pick, seededRng } from '../domain/random.js';
import type { Rng } from '../domain/random.js';
import { ofPlace, PLACE_NAMES } from './names.js';
import { generateProducts } from './products.js';
import type { ProductOffer } from './products.js';
import { pad, Scatter } from './scatter.js';
import { Weighted } from './weighted.js';

export type InsurerKind = 'mutuelle' | 'assureur' | 'institution_prevoyance';

export interface Convention {
  readonly code: string;
  readonly csr: string;
  readonly libelle: string;
}

export interface Insurer {
  readonly index: number;
  readonly amcNumber: string;
  readonly name: string;
  readonly kind: InsurerKind;
  readonly conventions: readonly Convention[];
  readonly offers: readonly ProductOffer[];
  /** How many beneficiary lines its file holds. */
  readonly beneficiaries: number;
  /** The member number of its n-th contract: distinct for distinct n, in the insurer's own style. */
  readonly memberNumber: (contract: number) => string;
}

/** France has about 263 mutuelles, 100 insurers and 25 institutions de prévoyance. */
const KINDS = new Weighted<InsurerKind>([['mutuelle', 263], ['assureur', 100], ['institution_prevoyance', 25]]);
const KIND_ORDER: readonly InsurerKind[] = ['mutuelle', 'assureur', 'institution_prevoyance'];

const NAME_PATTERNS: Readonly<Record<InsurerKind, readonly ((place: string) => string)[]>> = {
  mutuelle: [(p) => `Mutuelle ${ofPlace(p)}`, (p) => `Mutuelle ${p} Santé`, (p) => `${p} Mutuelle`],
  assureur: [(p) => `${p} Assurances`, (p) => `Assurances ${p} Santé`],
  institution_prevoyance: [(p) => `Institution de prévoyance ${ofPlace(p)}`, (p) => `${p} Prévoyance`],
};

export interface InsurerOptions {
  readonly seed: string | number;
  readonly count: number;
  readonly beneficiaries: number;
  /** Year of the extraction date: the catalogue's current version starts on its 1 January. */
  readonly year: number;
}

/** The insurers of a data set: every kind present, big and small ones. */
export function generateInsurers({ seed, count, beneficiaries, year }: InsurerOptions): Insurer[] {
  const rng = seededRng(`${seed}:organismes`);
  const amcNumbers = distinctAmcNumbers(rng, count);
  const shares = splitUnevenly(rng, beneficiaries, count);
  const firstName = rng.int(0, PLACE_NAMES.length - 1);
  return amcNumbers.map((amcNumber, index) => {
    // The first three cover the three kinds, so that even a small data set has each.
    const kind = KIND_ORDER[index] ?? KINDS.pick(rng);
    const place = PLACE_NAMES[(firstName + index) % PLACE_NAMES.length] ?? '';
    return {
      index,
      amcNumber,
      name: pick(rng, NAME_PATTERNS[kind])(place),
      kind,
      conventions: conventions(rng),
      offers: generateProducts(seededRng(`${seed}:catalogue:${index}`), year),
      beneficiaries: shares[index] ?? 0,
      memberNumber: memberNumbering(rng),
    };
  });
}

/** A handful of insurers: a set of the numbers drawn so far is small and bounded. */
function distinctAmcNumbers(rng: Rng, count: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) seen.add(generateAmcNumber(rng));
  return [...seen];
}

/** Squared uniform weights: a few big insurers and a tail of small ones, up to 900 to 1. */
function splitUnevenly(rng: Rng, total: number, count: number): number[] {
  const weights = Array.from({ length: count }, () => rng.int(1, 30) ** 2);
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((weight) => Math.floor((total * weight) / sum));
  const biggest = weights.indexOf(Math.max(...weights));
  shares[biggest] = (shares[biggest] ?? 0) + total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

function conventions(rng: Rng): Convention[] {
  return [
    { code: 'SP', csr: '', libelle: 'Tiers payant conventionnel' },
    ...(chance(rng, 0.5) ? [{ code: 'TI', csr: '', libelle: 'Tiers payant intégral' }] : []),
    ...(chance(rng, 0.3) ? [{ code: 'SP', csr: '01', libelle: 'Tiers payant conventionnel, réseau de soins' }] : []),
  ];
}

/**
 * Insurers number contracts their own way: digits, or a letter prefix with or without a
 * dash. The contract's index goes through a Scatter so that numbers are distinct.
 */
function memberNumbering(rng: Rng): (contract: number) => string {
  const numbers = new Scatter(100_000_000);
  const offset = rng.int(0, numbers.size - 1);
  const digits = (contract: number): string => pad(numbers.at(contract, offset), 8);
  const prefix = [String(rng.int(1, 9)), letters(rng, 2), `${letters(rng, 1)}-`][rng.int(0, 2)] ?? '';
  return (contract) => `${prefix}${digits(contract)}`;
}

function letters(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => String.fromCharCode(rng.int(65, 90))).join('');
}
