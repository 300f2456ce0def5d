/** Small statistics the shield learns with, and its reports print. */

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

export function mean(values: readonly number[]): number {
  return sum(values) / Math.max(1, values.length);
}

/** The middle value; the mean of the two middle ones for an even count; 0 for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The population standard deviation; 0 for none. */
export function deviation(values: readonly number[]): number {
  const centre = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - centre) ** 2)));
}

/** Appends a sample, forgetting the oldest beyond `kept`. */
export function keep(samples: number[], value: number, kept: number): void {
  samples.push(value);
  if (samples.length > kept) samples.shift();
}

/** To one decimal, as findings are shown. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
