import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents } from '../money.js';
import { formatGuaranteeExpression, parseGuaranteeExpression, type GuaranteeExpression } from './guarantee-expression.js';

describe('guarantee expressions as printed on cards', () => {
  it.each([
    ['100% BR', { basis: 'br_percent', rateBp: 10000, flatCents: 0 }],
    ['200 % br', { basis: 'br_percent', rateBp: 20000, flatCents: 0 }],
    ['125,5% BR', { basis: 'br_percent', rateBp: 12550, flatCents: 0 }],
    ['TM', { basis: 'copay', rateBp: 0, flatCents: 0 }],
    ['FR', { basis: 'actual_cost', rateBp: 0, flatCents: 0 }],
    ['150 €', { basis: 'flat', rateBp: 0, flatCents: 15000 }],
    ['1 500,50 €', { basis: 'flat', rateBp: 0, flatCents: 150050 }],
    ['10% PMSS', { basis: 'pmss_percent', rateBp: 1000, flatCents: 0 }],
    ['100% BR + 150 €', { basis: 'br_percent', rateBp: 10000, flatCents: 15000 }],
  ])('reads %s', (text, expected) => {
    expect(parseGuaranteeExpression(text)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '100%', 'BR', '-10% BR', '100% BR + ', '12.345 €', 'TM + 10 €', '100% PMSS + 5 €'])('refuses %j', (text) => {
    const parsed = parseGuaranteeExpression(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe('GUARANTEE_EXPRESSION');
  });

  it('reads back what it writes, for any expression', () => {
    const expression = fc.oneof(
      fc.constant<GuaranteeExpression>({ basis: 'copay', rateBp: 0, flatCents: cents(0) }),
      fc.constant<GuaranteeExpression>({ basis: 'actual_cost', rateBp: 0, flatCents: cents(0) }),
      fc.integer({ min: 0, max: 99_999_999 }).map((c): GuaranteeExpression => ({ basis: 'flat', rateBp: 0, flatCents: cents(c) })),
      fc.integer({ min: 0, max: 999_999 }).map((bp): GuaranteeExpression => ({ basis: 'pmss_percent', rateBp: bp, flatCents: cents(0) })),
      fc
        .tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 99_999_999 }))
        .map(([bp, c]): GuaranteeExpression => ({ basis: 'br_percent', rateBp: bp, flatCents: cents(c) })),
    );
    fc.assert(
      fc.property(expression, (value) => {
        expect(parseGuaranteeExpression(formatGuaranteeExpression(value))).toEqual({ ok: true, value });
      }),
    );
  });
});
