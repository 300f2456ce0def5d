/**
 * What a benchmark may say about its own figures. A rate counts successful answers only,
 * and a ratio or a goal verdict is printed only when at most a trace of the requests
 * behind it failed: a platform answering 401 in a millisecond is not fast, it is refusing.
 * Otherwise the bench says how many failed and why, and no figure.
 */

/** Beyond this share of failed requests, a measurement says nothing about the platform's speed. */
export const FAILURE_TRACE = 0.001;

/** The answers of one measurement: successes, and failures tallied by their reason (an error code). */
export class Tally {
  successes = 0;
  readonly failures = new Map<string, number>();

  /** What is counted, in words: requests, or a file's lines. */
  constructor(readonly unit = 'requêtes') {}

  success(): void {
    this.successes += 1;
  }

  failure(reason: string, count = 1): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + count);
  }

  get failed(): number {
    let total = 0;
    for (const count of this.failures.values()) total += count;
    return total;
  }

  get attempts(): number {
    return this.successes + this.failed;
  }

  /** This tally and others summed (the rounds of one variant). */
  static merge(tallies: readonly Tally[]): Tally {
    const merged = new Tally(tallies[0]?.unit);
    for (const tally of tallies) {
      merged.successes += tally.successes;
      for (const [reason, count] of tally.failures) merged.failure(reason, count);
    }
    return merged;
  }
}

/** Successful answers per second: failed requests never count toward a rate. */
export function perSecond(tally: Tally, seconds: number): number {
  return seconds > 0 ? tally.successes / seconds : 0;
}

/** Whether the measurement may be quoted: something succeeded, and at most a trace failed. */
export function reliable(tally: Tally): boolean {
  return tally.successes > 0 && tally.failed <= FAILURE_TRACE * tally.attempts;
}

/** The reason of a failed HTTP answer: the API's stable error code, else the status. */
export function failureReason(status: number, body: string): string {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
  } catch {
    // Not JSON (a proxy's page, a crash): the status says what there is to say.
  }
  return `HTTP ${status}`;
}

const percent = (share: number): string => `${(share * 100).toFixed(2).replace('.', ',')} %`;

/** « 3 échecs sur 1000 requêtes (0,30 %) : CODE × 2, HTTP 500 × 1 », most frequent first. */
export function describeFailures(tally: Tally): string {
  if (tally.attempts === 0) return `aucune des ${tally.unit} n’a abouti ni échoué`;
  const reasons = [...tally.failures].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const head = `${tally.failed} échecs sur ${tally.attempts} ${tally.unit} (${percent(tally.failed / tally.attempts)})`;
  return reasons.length === 0 ? head : `${head} : ${reasons.map(([reason, count]) => `${reason} × ${count}`).join(', ')}`;
}

/** A measurement a verdict rests on, by the name the bench's table gives it. */
export interface Measured {
  name: string;
  tally: Tally;
}

export interface GoalVerdict {
  label: string;
  /** The figure, already in words (« 0,57 », « 15,0 ms »). */
  value: string;
  /** The goal in words (« ≥ 0,5 »). */
  goal: string;
  met: boolean;
  from: readonly Measured[];
}

/**
 * « label : value (objectif goal : atteint) », or, when any measurement behind it failed
 * beyond a trace, no figure at all: how many of its requests failed, and why.
 */
export function verdictLines(verdict: GoalVerdict): string[] {
  const unreliable = verdict.from.filter((m) => !reliable(m.tally));
  if (unreliable.length === 0) return [`${verdict.label} : ${verdict.value} (objectif ${verdict.goal} : ${verdict.met ? 'atteint' : 'non atteint'})`];
  return [
    `${verdict.label} : non calculé (objectif ${verdict.goal}) — plus de ${percent(FAILURE_TRACE)} d’échecs, ce chiffre ne dirait rien :`,
    ...unreliable.map((m) => `  - ${m.name} : ${describeFailures(m.tally)}`),
  ];
}

/** A ratio of two rates against a floor, under the same rule. */
export function ratioVerdict(label: string, ratio: number, atLeast: number, from: readonly Measured[]): string[] {
  return verdictLines({ label, value: decimal(ratio, 2), goal: `≥ ${decimal(atLeast)}`, met: ratio >= atLeast, from });
}

/** A number the French way (decimal comma); at most `digits` decimals when none are forced. */
export function decimal(value: number, digits?: number): string {
  return (digits === undefined ? String(value) : value.toFixed(digits)).replace('.', ',');
}
