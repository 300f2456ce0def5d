import type { Result } from '../identifiers/result.js';
import { cents, formatEuros, parseEuros, type Cents } from '../money.js';

/**
 * What a guarantee pays, as written on cards and in contracts:
 * `200% BR` (AMO included), `TM`, `FR`, `150 €`, `10% PMSS`, or `100% BR + 150 €`.
 * Rates are kept in basis points (20000 = 200 %) so that `125,5% BR` stays exact.
 */
export type GuaranteeBasis = 'br_percent' | 'copay' | 'actual_cost' | 'flat' | 'pmss_percent';

export interface GuaranteeExpression {
  readonly basis: GuaranteeBasis;
  readonly rateBp: number;
  readonly flatCents: Cents;
}

type ExpressionResult = Result<GuaranteeExpression, { code: 'GUARANTEE_EXPRESSION'; reason: string }>;

const PERCENT = String.raw`(\d{1,4}(?:[.,]\d{1,2})?)\s*%`;
const EUROS = String.raw`(\d[\d\s]*(?:[.,]\d{1,2})?)\s*(?:€|EUR|euros?)`;
const patterns: readonly [RegExp, (m: RegExpExecArray) => GuaranteeExpression | undefined][] = [
  [/^TM$/, () => make('copay', 0, 0)],
  [/^FR$/, () => make('actual_cost', 0, 0)],
  [new RegExp(`^${PERCENT}\\s*BR$`), (m) => make('br_percent', basisPoints(m[1]), 0)],
  [new RegExp(`^${PERCENT}\\s*PMSS$`), (m) => make('pmss_percent', basisPoints(m[1]), 0)],
  [new RegExp(`^${EUROS}$`), (m) => withFlat('flat', 0, m[1])],
  [new RegExp(`^${PERCENT}\\s*BR\\s*\\+\\s*${EUROS}$`), (m) => withFlat('br_percent', basisPoints(m[1]), m[2])],
];

export function parseGuaranteeExpression(input: string): ExpressionResult {
  const text = input.trim().toUpperCase().replace(/\s+/g, ' ');
  for (const [pattern, build] of patterns) {
    const match = pattern.exec(text);
    const value = match ? build(match) : undefined;
    if (value) return { ok: true, value };
  }
  return {
    ok: false,
    error: { code: 'GUARANTEE_EXPRESSION', reason: `« ${input} » : attendu « N% BR », « TM », « FR », « N € », « N% PMSS » ou « N% BR + N € ».` },
  };
}

/** The card's wording, e.g. "100% BR + 150,00 €"; parsing it gives the same expression back. */
export function formatGuaranteeExpression(expression: GuaranteeExpression): string {
  const rate = `${(expression.rateBp / 100).toString().replace('.', ',')}%`;
  switch (expression.basis) {
    case 'copay':
      return 'TM';
    case 'actual_cost':
      return 'FR';
    case 'flat':
      return formatEuros(expression.flatCents);
    case 'pmss_percent':
      return `${rate} PMSS`;
    case 'br_percent':
      return expression.flatCents > 0 ? `${rate} BR + ${formatEuros(expression.flatCents)}` : `${rate} BR`;
  }
}

function make(basis: GuaranteeBasis, rateBp: number, flat: number): GuaranteeExpression {
  return { basis, rateBp, flatCents: cents(flat) };
}

function basisPoints(text: string | undefined): number {
  return Math.round(Number((text ?? '').replace(',', '.')) * 100);
}

function withFlat(basis: GuaranteeBasis, rateBp: number, euros: string | undefined): GuaranteeExpression | undefined {
  const amount = parseEuros(euros ?? '');
  return amount.ok ? make(basis, rateBp, amount.value) : undefined;
}

/** How a catalogue says an act family is not covered. */
export const NOT_COVERED = 'non couvert';

/** A family's guarantee as a catalogue writes it: an expression, or « non couvert » (null). */
export function parseFamilyExpression(input: string): Result<GuaranteeExpression | null, { code: 'GUARANTEE_EXPRESSION'; reason: string }> {
  if (input.trim().toLowerCase() === NOT_COVERED) return { ok: true, value: null };
  const parsed = parseGuaranteeExpression(input);
  if (parsed.ok) return parsed;
  return { ok: false, error: { code: 'GUARANTEE_EXPRESSION', reason: `${parsed.error.reason.slice(0, -1)}, ou « ${NOT_COVERED} ».` } };
}
