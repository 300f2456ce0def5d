import { InvalidArgumentError } from 'commander';

/** Commander's parser of a repeatable option: every value, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Commander's parser of a count, a size or an id: a whole number ≥ 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('attendu un entier strictement positif');
  return n;
}
