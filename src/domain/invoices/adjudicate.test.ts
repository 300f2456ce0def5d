import { describe, expect, it } from 'vitest';
import { careDay, guarantee, line, request } from '../coverage/test-support/invoices.js';
import { addDays, addMonths } from '../dates.js';
import { adjudicate } from './adjudicate.js';
import { invoiceReasons, reasonCategories } from './reasons.js';
import { invoiceOf } from './test-support/facts.js';

/** A GP's 30 € consultation at 70 % with its 2 € flat fee (DOMAIN.md, worked example 1): the AMC part is the 9 € copay. */
const consultation = line({ price: 30, flatFee: 2 });
const dental = line({ domain: 'DENT', actCode: 'HBLD', price: 100, base: 100 });
const covered = request([consultation], { MED: guarantee('100% BR') });

describe('an invoice adjudicated against its engagement and the rules', () => {
  it('pays in full what the rules give and what is claimed', () => {
    const decision = adjudicate(invoiceOf(covered, [900]));
    expect(decision).toMatchObject({ status: 'paid', reason: null, claimedCents: 900, paidCents: 900, consumption: [] });
    expect(decision.lines).toEqual([{ outcome: 'accepted', claimedCents: 900, paidCents: 900, reason: null, rule: 'br_percent' }]);
  });

  it('reduces a claim above the rules to them, and never pays more than claimed', () => {
    expect(adjudicate(invoiceOf(covered, [1_200])).lines[0]).toMatchObject({ outcome: 'reduced', paidCents: 900, reason: 'GAR_RULES' });
    expect(adjudicate(invoiceOf(covered, [500]))).toMatchObject({ status: 'paid', paidCents: 500 });
  });

  it('rejects the whole invoice when its engagement cannot back it, with the reason', () => {
    const cases = [
      [{ expired: true }, 'ENG_EXPIRED'],
      [{ cancelled: true }, 'ENG_CANCELLED'],
      [{ consumed: true }, 'ENG_CONSUMED'],
      [{ sameProfessional: false }, 'PS_NOT_ENGAGED'],
      [{ careDate: addDays(careDay, -1) }, 'ENG_CARE_DATE'],
    ] as const;
    for (const [engagement, reason] of cases) {
      const decision = adjudicate(invoiceOf(covered, [900], engagement));
      expect([reason, decision.status, decision.paidCents, decision.lines.map((l) => l.reason)]).toEqual([reason, 'rejected', 0, [reason]]);
      expect(decision.consumption).toEqual([]);
    }
  });

  it('rejects a line outside the engagement’s domains and pays the others', () => {
    const mixed = request([consultation, dental], { MED: guarantee('100% BR'), DENT: guarantee('100% BR') });
    const decision = adjudicate(invoiceOf(mixed, [900, 3_000], { domains: ['MED'] }));
    expect(decision).toMatchObject({ status: 'partly_paid', reason: 'ENG_DOMAIN', paidCents: 900 });
    expect(decision.lines.map((l) => [l.outcome, l.reason])).toEqual([['accepted', null], ['rejected', 'ENG_DOMAIN']]);
  });

  it('rejects a line whose stated AMO part is not rate × base', () => {
    const facts = invoiceOf(covered, [900]);
    const decision = adjudicate({ ...facts, lines: [{ ...facts.lines[0]!, amoCents: 2_000 }] });
    expect(decision).toMatchObject({ status: 'rejected', reason: 'FAC_AMO' });
    expect(adjudicate({ ...facts, lines: [{ ...facts.lines[0]!, amoCents: 2_100 }] }).status).toBe('paid');
  });

  it('rejects an invoice that claims nothing', () => {
    expect(adjudicate(invoiceOf(covered, [0]))).toMatchObject({ status: 'rejected', reason: 'FAC_NOTHING_CLAIMED' });
  });

  it('consumes on the ceiling what it pays above the legal minimums, and reduces a line the ceiling stops', () => {
    const capped = request([line({ domain: 'DENT', actCode: 'HBLD', price: 300, base: 100 })], { DENT: guarantee('300% BR', { ceiling: 150, consumed: 0 }) });
    const decision = adjudicate(invoiceOf(capped, [23_000]));
    // Copay 30 € outside the ceiling, 150 € on it: 180 € paid, 150 € consumed.
    expect(decision).toMatchObject({ status: 'partly_paid', reason: 'GAR_CEILING', paidCents: 18_000 });
    expect(decision.consumption).toEqual([{ domain: 'DENT', amountCents: 15_000, side: null, equipment: null }]);
    // Claimed below its part: the copay is paid first, and the ceiling counts only the rest.
    expect(adjudicate(invoiceOf(capped, [5_000])).consumption).toEqual([{ domain: 'DENT', amountCents: 2_000, side: null, equipment: null }]);
  });

  it('holds an invoice under a prior agreement to its grant and its state', () => {
    const lens = line({ domain: 'OPTI', actCode: 'LC', price: 150, base: 0, amoRateBp: 0, device: { kind: 'other' } });
    const optics = request([lens, lens], { OPTI: guarantee('FR') });
    const agreement = { status: 'granted', domain: 'OPTI', grantedCents: 20_000, toleranceCents: 0, validUntil: addMonths(careDay, 6), sameProfessional: true } as const;
    const facts = { ...invoiceOf(optics, [15_000, 15_000]), agreement };
    const decision = adjudicate(facts);
    expect(decision).toMatchObject({ status: 'partly_paid', reason: 'PEC_ABOVE_GRANT', paidCents: 20_000 });
    expect(decision.lines.map((l) => l.paidCents)).toEqual([15_000, 5_000]);
    expect(adjudicate({ ...facts, agreement: { ...agreement, toleranceCents: 10_000 } }).status).toBe('paid');
    for (const [status, reason] of [['invoiced', 'PEC_USED'], ['cancelled', 'PEC_CANCELLED'], ['expired', 'PEC_EXPIRED'], ['refused', 'PEC_REFUSED']] as const) {
      expect(adjudicate({ ...facts, agreement: { ...agreement, status } }).reason).toBe(reason);
    }
    expect(adjudicate({ ...facts, careDate: addDays(addMonths(careDay, 6), 1), agreement }).reason).toBe('PEC_EXPIRED');
    expect(adjudicate({ ...facts, agreement: { ...agreement, domain: 'AUDI' } }).lines.map((l) => l.reason)).toEqual(['PEC_DOMAIN', 'PEC_DOMAIN']);
  });
});

describe('the reason-code catalogue', () => {
  it('names a category of the trade and a French label for every code, codes in the category’s prefix', () => {
    const prefixes: Record<string, string> = { identification: 'IDT', rights: 'DRT', guarantee: 'GAR', engagement: 'ENG', prior_agreement: 'PEC', professional: 'PS', invoice: 'FAC', technical: 'TEC' };
    expect(Object.keys(prefixes).sort()).toEqual(Object.keys(reasonCategories).sort());
    for (const [code, reason] of Object.entries(invoiceReasons)) {
      expect(code.startsWith(`${prefixes[reason.category]}_`), code).toBe(true);
      expect(reason.label.length).toBeGreaterThan(10);
    }
  });
});
