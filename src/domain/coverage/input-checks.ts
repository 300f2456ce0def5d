import type { CoverageError } from './calculation-types.js';

/** A safe integer in [min, max]: what every amount, rate and count of a calculation must be. */
export function within(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

export function invalid(what: string, expected: string): CoverageError {
  return { code: 'FIELD_INVALID', reason: `${what} : attendu ${expected}.` };
}
