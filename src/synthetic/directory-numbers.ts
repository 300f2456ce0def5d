import { finessKeyDigits } from '../domain/identifiers/finess.js';
import { luhnCheckDigit } from '../domain/identifiers/luhn.js';
import type { Rng } from '../domain/random.js';
import { pad, Scatter } from './scatter.js';

/**
 * The directory's identifiers, distinct by construction: each kind is numbered from its
 * own counter through a Scatter, then keyed with the domain's Luhn helpers. (The domain's
 * random generators cannot promise distinct values among hundreds of thousands.)
 */
export class DirectoryNumbers {
  private readonly rppsNumbers = new Scatter(100_000_000);
  /** SIRENs here start with 8: never La Poste's 356 000 000, which follows another key rule. */
  private readonly sirenNumbers = new Scatter(10_000_000);
  private readonly amNumbers = new Scatter(10_000_000);
  /** FINESS digits left after a 2-character (01, 2A) or 3-character (971) département. */
  private readonly finessNumbers = { 2: new Scatter(1_000_000), 3: new Scatter(100_000) };
  private readonly counts = { rpps: 0, siren: 0, am: 0, finess2: 0, finess3: 0 };
  /** Where each numbering starts, drawn from the seed so that data sets do not all begin alike. */
  private readonly offset: number;

  constructor(rng: Rng) {
    this.offset = rng.int(0, 99_999_999);
  }

  /** RPPS numbers start with 10; the 11th digit is a Luhn key. */
  rpps(): string {
    return withLuhnKey(`10${pad(this.rppsNumbers.at(this.counts.rpps++, this.offset), 8)}`);
  }

  /** A new company's SIREN and its establishment number (NIC), keyed as a whole. */
  siret(rng: Rng): string {
    const siren = withLuhnKey(`8${pad(this.sirenNumbers.at(this.counts.siren++, this.offset), 7)}`);
    return withLuhnKey(`${siren}${pad(rng.int(1, 30), 4)}`);
  }

  finess(department: string): string {
    const payload =
      department.length === 3
        ? `${department}${pad(this.finessNumbers[3].at(this.counts.finess3++, this.offset), 5)}`
        : `${department}${pad(this.finessNumbers[2].at(this.counts.finess2++, this.offset), 6)}`;
    return `${payload}${luhnCheckDigit(finessKeyDigits(payload))}`;
  }

  /** Numéro AM: the département's two digits (20 for Corsica, 97 overseas), then 7 digits. */
  amNumber(department: string): string {
    const prefix = department.startsWith('2A') || department.startsWith('2B') ? '20' : department.slice(0, 2);
    return `${prefix}${pad(this.amNumbers.at(this.counts.am++, this.offset), 7)}`;
  }
}

function withLuhnKey(payload: string): string {
  return `${payload}${luhnCheckDigit(payload)}`;
}
