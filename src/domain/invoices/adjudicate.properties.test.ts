import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateCoverage, type CoverageRequest } from '../coverage/calculate.js';
import { coverageRequest } from '../coverage/test-support/invoices.js';
import { adjudicate, type InvoiceDecision } from './adjudicate.js';
import { invoiceOf } from './test-support/facts.js';

/** A request and what each of its lines claims: nothing, less, about its price, or far beyond. */
const claimedInvoice = coverageRequest.chain((request) =>
  fc.tuple(fc.constant(request), fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 1_000_000 })), {
    minLength: request.lines.length,
    maxLength: request.lines.length,
  })),
);

/** The same request with reservations (prior agreements) and consumptions already on its ceilings, on its care date. */
const movement = fc.tuple(fc.constantFrom('reserved' as const, 'consumed' as const), fc.integer({ min: 0, max: 30_000 }));
const withMovements = fc.tuple(claimedInvoice, fc.array(movement, { maxLength: 3 })).map(([[request, claimed], movements]) => [withHistory(request, movements), claimed] as const);

function withHistory(request: CoverageRequest, movements: readonly (readonly ['reserved' | 'consumed', number])[]): CoverageRequest {
  const history = movements.map(([kind, amountCents]) => ({ careDate: request.careDate, amountCents, kind }));
  const guarantees = Object.fromEntries(Object.entries(request.terms.guarantees).map(([domain, g]) => [domain, { ...(g), history }]));
  return { ...request, terms: { ...request.terms, guarantees } };
}

const total = (decision: InvoiceDecision): number => decision.lines.reduce((sum, line) => sum + line.paidCents, 0);

describe('an invoice’s decision, for any invoice', () => {
  it('never pays a line more than claimed nor more than the rules give, and never below zero', () => {
    fc.assert(
      fc.property(claimedInvoice, ([request, claimed]) => {
        const decision = adjudicate(invoiceOf(request, claimed));
        const rules = calculateCoverage(request);
        decision.lines.forEach((line, index) => {
          expect(line.paidCents).toBeGreaterThanOrEqual(0);
          expect(line.paidCents).toBeLessThanOrEqual(claimed[index] ?? 0);
          if (rules.ok) expect(line.paidCents).toBeLessThanOrEqual(rules.value.lines[index]?.amcCents ?? 0);
          else expect(line.paidCents).toBe(0);
        });
        expect(decision.paidCents).toBe(total(decision));
        expect(decision.status === 'rejected').toBe(decision.paidCents === 0);
      }),
    );
  });

  it('never pays more than a prior agreement grants, its tolerance included', () => {
    fc.assert(
      fc.property(claimedInvoice, fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 5_000 }), ([request, claimed], grantedCents, toleranceCents) => {
        const domain = request.lines[0]?.domain ?? 'MED';
        const agreement = { status: 'granted', domain, grantedCents, toleranceCents, validUntil: request.careDate, sameProfessional: true } as const;
        const decision = adjudicate({ ...invoiceOf(request, claimed), agreement });
        expect(decision.paidCents).toBeLessThanOrEqual(grantedCents + toleranceCents);
      }),
    );
  });

  it('keeps what it consumes, with the reservations and consumptions before it, within every ceiling', () => {
    fc.assert(
      fc.property(withMovements, ([request, claimed]) => {
        const decision = adjudicate(invoiceOf(request, claimed));
        const rules = calculateCoverage(request);
        if (!rules.ok) return;
        for (const use of rules.value.ceilings) {
          const consumed = decision.consumption.filter((c) => c.domain === use.domain).reduce((sum, c) => sum + c.amountCents, 0);
          expect(consumed).toBeLessThanOrEqual(Math.max(0, use.ceilingCents - use.consumedBeforeCents));
        }
        for (const used of decision.consumption) expect(used.amountCents).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
