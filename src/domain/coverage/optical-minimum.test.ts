import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../dates.js';
import { cents } from '../money.js';
import type { DomainGuarantee, InvoiceLine, LensComplexity } from './calculation-types.js';
import type { GuaranteeExpression } from './guarantee-expression.js';
import { equipmentCapCents } from './optical-equipment.js';
import { FRAME_CAP_CENTS } from './responsable-caps.js';
import { calculated, careDay, guarantee, line, request, withFamilies } from './test-support/invoices.js';

// Adult class B items: a 0,05 € base at 60 %, so 3 cents of AMO each.
const frame = (price: number): InvoiceLine => line({ actCode: 'MONTURE', domain: 'OPTI', price, base: 0.05, amoRateBp: 6_000, device: { kind: 'frame' } });
const lens = (price: number, complexity: LensComplexity = 'simple'): InvoiceLine =>
  line({ actCode: `VERRE-${complexity}`, domain: 'OPTI', price, base: 0.05, amoRateBp: 6_000, device: { kind: 'lens', complexity } });
const paid = (lines: readonly { amoCents: number; amcCents: number }[]): number => lines.reduce((sum, l) => sum + l.amoCents + l.amcCents, 0);

describe('art. R871-2 CSS: the minimum of class B glasses under a contrat responsable', () => {
  it('raises a 100 % BR guarantee to 50 € on a frame and two simple lenses, AMO included, frame first', () => {
    const result = calculated(request([lens(80), frame(120), lens(80)], { OPTI: guarantee('100% BR') }));
    expect(paid(result.lines)).toBe(5_000);
    expect(result.lines.map((l) => l.rule)).toEqual(['br_percent', 'optical_equipment_minimum', 'br_percent']);
  });

  it('raises it to 200 € as soon as one lens is complex, and spreads what the frame cannot take over the lenses', () => {
    const result = calculated(request([frame(60), lens(100, 'complex'), lens(100)], { OPTI: guarantee('100% BR') }));
    expect(paid(result.lines)).toBe(20_000);
    expect(result.lines[0]).toMatchObject({ amcCents: 5_997, patientCents: 0 });
  });

  it('pays no more than was spent, nor a frame alone, nor a contract that is not responsable, nor glasses in their renewal period', () => {
    expect(paid(calculated(request([frame(10), lens(10), lens(10)], { OPTI: guarantee('100% BR') })).lines)).toBe(3_000);
    expect(calculated(request([frame(120)], { OPTI: guarantee('100% BR') })).lines[0]?.amcCents).toBe(2);
    expect(paid(calculated(request([frame(120), lens(80), lens(80)], { OPTI: guarantee('100% BR') }, false)).lines)).toBe(3 * 5);
    const renewed = { ...guarantee('100% BR'), renewalMonths: 24, history: [{ careDate: addMonths(careDay, -5), amountCents: 1_000, kind: 'consumed' as const, equipment: 'glasses' as const }] };
    expect(calculated(request([frame(120), lens(80), lens(80)], { OPTI: renewed })).lines.map((l) => l.rule)).toEqual(['renewal_period', 'renewal_period', 'renewal_period']);
  });

  it('raises lenses a family says "non couvert", and yields to what the ceiling has left', () => {
    const uncovered = withFamilies(guarantee('100% BR'), { VERRE_SIMPLE: 'non couvert', MONTURE: 'non couvert' });
    expect(paid(calculated(request([frame(120), lens(80), lens(80)], { OPTI: uncovered })).lines)).toBe(5_000);
    const ceiling = guarantee('100% BR', { ceiling: 100, consumed: 80 });
    const result = calculated(request([frame(120), lens(80), lens(80)], { OPTI: ceiling }));
    expect(result.totals.amcCents).toBe(2_000 + 3 * 2);
  });

  it('pays at least the minimum when the spend allows, never more than the grid, the spend net of AMO or the ceiling', () => {
    const complexity = fc.constantFrom<LensComplexity>('simple', 'complex', 'very_complex');
    const price = fc.integer({ min: 0, max: 40_000 });
    const expression = fc.oneof(
      fc.constant<GuaranteeExpression>({ basis: 'copay', rateBp: 0, flatCents: cents(0) }),
      fc.constant<GuaranteeExpression>({ basis: 'actual_cost', rateBp: 0, flatCents: cents(0) }),
      fc.integer({ min: 0, max: 40_000 }).map((c): GuaranteeExpression => ({ basis: 'flat', rateBp: 0, flatCents: cents(c) })),
      fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 10_000 })).map(([bp, c]): GuaranteeExpression => ({ basis: 'br_percent', rateBp: bp, flatCents: cents(c) })),
    );
    const drawn = fc.record({
      frame: fc.option(price), lenses: fc.tuple(fc.tuple(price, complexity), fc.tuple(price, complexity)), base: fc.integer({ min: 0, max: 500 }),
      expression, ceiling: fc.option(fc.integer({ min: 0, max: 60_000 })), consumed: fc.integer({ min: 0, max: 60_000 }),
    });
    fc.assert(
      fc.property(drawn, (d) => {
        const item = (unitPrice: number, device: InvoiceLine['device'], actCode: string): InvoiceLine => ({
          actCode, domain: 'OPTI', quantity: 1, unitPriceCents: cents(unitPrice), unitBaseCents: cents(d.base), amoRateBp: 6_000,
          flatFeeCents: cents(0), deductibleCents: cents(0), ...(device ? { device } : {}),
        });
        const lines = [
          ...(d.frame === null ? [] : [item(d.frame, { kind: 'frame' }, 'MONTURE')]),
          ...d.lenses.map(([p, c], i) => item(p, { kind: 'lens', complexity: c }, `VERRE${i}`)),
        ];
        const optics: DomainGuarantee = { expression: d.expression, annualCeilingCents: d.ceiling === null ? null : cents(d.ceiling), consumedCents: cents(d.consumed) };
        const result = calculated(request(lines, { OPTI: optics }));
        const complexities = d.lenses.map(([, c]) => c);
        const minimum = complexities.every((c) => c === 'simple') ? 5_000 : 20_000;
        // The minimum as written apart from the engine: AMO + AMC reach it, within each line's price and the frame's 100 €.
        const reachable = lines.reduce((sum, l) => sum + Math.min(l.unitPriceCents, l.device?.kind === 'frame' ? FRAME_CAP_CENTS : l.unitPriceCents), 0);
        const floors = result.lines.reduce((sum, l, i) => sum + Math.max(0, Math.min(lines[i]?.unitBaseCents ?? 0, lines[i]?.unitPriceCents ?? 0) - l.amoCents), 0);
        const left = d.ceiling === null ? Infinity : Math.max(0, d.ceiling - d.consumed);
        expect(paid(result.lines)).toBeGreaterThanOrEqual(Math.min(minimum, reachable, result.totals.amoCents + floors + left));
        expect(paid(result.lines)).toBeLessThanOrEqual(Math.max(equipmentCapCents(complexities), result.totals.amoCents + floors));
        result.lines.forEach((l) => expect(l.amcCents).toBeLessThanOrEqual(l.priceCents - l.amoCents));
        expect(result.totals.amcCents - floors).toBeLessThanOrEqual(left);
      }),
    );
  });
});
