import type { Caller } from '../access/caller.js';
import { guaranteesOf, insurerNamed, type CoverageRow } from '../claims/calculate.js';
import type { Tx } from '../db/database.js';
import { todayUtc, type CalendarDate } from '../domain/dates.js';
import { RempartError, type ErrorCode } from '../domain/errors/codes.js';
import { adjudicate, type AgreementFacts, type ClaimedLine, type InvoiceDecision, type InvoiceFacts } from '../domain/invoices/adjudicate.js';
import { disclose } from '../disclosure/door.js';
import { calculationSeen, professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { amcOfEngagement, amcOfNumber, newBusinessNumber } from '../rights/engagement.js';
import { asHeld, HOLD_SQL, nearDuplicate, type EarlierRow } from './hold.js';
import { outcomeOfStored, type InvoiceOutcome, type InvoiceRefusalCode, type StoredInvoice, type StoredInvoiceLine } from './invoice.js';
import type { InvoiceRequest } from './lot-request.js';

/** The terms of a decision as disclose_invoice_terms (migration 028) and review_invoice_terms (034) read them. */
export interface DecisionTerms extends CoverageRow {
  engagement_professional: string | number;
  engagement_expired: boolean;
  engagement_cancelled: boolean;
  engagement_consumed: boolean;
  agreement: (Omit<AgreementFacts, 'sameProfessional'> & { professionalId: number }) | null;
}

/** A row of disclose_invoice_read: the stored invoice of a resend, or the terms of a decision and the invoices it may repeat. */
interface TermsRow extends DecisionTerms {
  stored: StoredInvoice | null;
  /** A correction that cannot replace the invoice it names (migration 029): nothing is decided. */
  refusal: InvoiceRefusalCode | null;
  /** The live invoices of the same beneficiary, care date and site (migration 041); none read for a resend or a correction. */
  earlier: EarlierRow[];
}

/** The terms and the near duplicates' read in one statement (migration 041). Parameters: insurer, lot, invoice number, engagement, agreement, replaced invoice, care date, domains, today, now, then the caller's fields (disclosure/subject.ts). */
export const TERMS_SQL = 'SELECT * FROM disclose_invoice_read($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13, $14, $15, $16, $17)';
export const RECORD_SQL =
  'SELECT invoice_record($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $12, $13, $14, $15::jsonb, $16::jsonb, $17, $18, $19, $20, $21, $22)';
const SIDES = { right: 'D', left: 'G' } as const;
const UNIQUE_VIOLATION = '23505';

/**
 * One invoice of a lot, in one transaction of the door: the terms read under the lock of
 * the beneficiary's ceilings (migration 028, after 025), a resend answered with its stored
 * decision, otherwise the pure decision (src/domain/invoices) written with its consumption
 * before the commit releases the lock. An engagement or agreement unknown to the site is
 * refused by the door (recorded not_found, nothing stored); the lot answers it as rejected.
 * A correction (`remplace`) is decided as if the invoice it replaces were cancelled, and
 * the write cancels it first (migration 029); one that cannot replace it is refused. An
 * invoice the decision would pay that repeats an earlier live one (same beneficiary, care
 * date, site and act, another number) is held instead (migration 034): nothing paid or
 * consumed until the insurer's review. A correction is not: it replaces what it repeats.
 */
export async function adjudicateInvoice(deps: RightsDeps, caller: Caller, lot: string, invoice: InvoiceRequest, now: Date): Promise<InvoiceOutcome> {
  const reference = referenceOf(invoice);
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'invoice',
    insurer: () => insurerNamed(deps, reference.amc, reference.unknown),
    work: async (tx, insurerId) => {
      const today = todayUtc(now);
      const domains = [...new Set(invoice.lines.map((claimed) => claimed.line.domain))];
      const rows = (await tx.query<TermsRow>(TERMS_SQL, [
        insurerId, lot, invoice.number, invoice.engagement, invoice.agreement, invoice.replaces ?? null, invoice.careDate, domains, today, now, ...callerParams(caller, insurerId, 'invoice'),
      ])).rows;
      const first = rows[0];
      if (!first) throw new RempartError(reference.unknown);
      const seen = calculationSeen(insurerId, first.beneficiary_id);
      if (first.stored) {
        if (first.stored.body_hash !== `\\x${invoice.bodyHash.toString('hex')}`) throw new RempartError('INVOICE_KEY_REUSED', invoice.number);
        return { answer: outcomeOfStored(first.stored, true), seen };
      }
      if (first.refusal !== null) throw new RempartError(first.refusal, invoice.replaces ?? undefined);
      const decision = adjudicate(factsOf(rows, first, invoice, caller.professionalId));
      const number = newBusinessNumber('F', reference.amc ?? '');
      const held = decision.status === 'rejected' || invoice.replaces ? null
        : nearDuplicate({ siteId: caller.siteId, beneficiaryId: Number(first.beneficiary_id), lot, invoice }, first.earlier);
      const outcome = held === null ? outcomeOf(number, invoice, decision) : asHeld(outcomeOf(number, invoice, decision));
      await record(tx, { insurerId, lot, domains, today, now, caller }, invoice, outcome, held === null ? decision : { duplicateOf: held });
      return { answer: outcome, seen };
    },
  }, now);
}

function referenceOf(invoice: InvoiceRequest): { amc: string | undefined; unknown: ErrorCode } {
  if (invoice.agreement !== null) return { amc: amcOfNumber('P', invoice.agreement), unknown: 'PRIOR_AGREEMENT_UNKNOWN' };
  return { amc: amcOfEngagement(invoice.engagement ?? ''), unknown: 'ENGAGEMENT_UNKNOWN' };
}

/** The pure decision's facts: the claim (a request's, or a held invoice's as kept), its terms as read, who invoices. */
export function factsOf(rows: readonly DecisionTerms[], first: DecisionTerms, claim: Pick<InvoiceRequest, 'careDate' | 'lines'>, professionalId: number): InvoiceFacts {
  const agreement = first.agreement;
  return {
    careDate: claim.careDate,
    lines: claim.lines,
    engagement: {
      careDate: first.care_date,
      domains: first.engaged_domains,
      sameProfessional: Number(first.engagement_professional) === professionalId,
      expired: first.engagement_expired,
      cancelled: first.engagement_cancelled,
      consumed: first.engagement_consumed,
    },
    ...(agreement === null ? {} : {
      agreement: {
        status: agreement.status, domain: agreement.domain, grantedCents: Number(agreement.grantedCents), toleranceCents: Number(agreement.toleranceCents),
        validUntil: agreement.validUntil, sameProfessional: Number(agreement.professionalId) === professionalId,
      },
    }),
    terms: { responsable: first.responsible, guarantees: guaranteesOf(rows) },
    ...(first.beneficiary_age === null ? {} : { beneficiaryAgeYears: first.beneficiary_age }),
  };
}

/** The answer of a decision, its lines named by the invoice's. */
export function outcomeOf(number: string | null, invoice: InvoiceRequest, decision: InvoiceDecision): InvoiceOutcome {
  return {
    invoiceNumber: invoice.number, number, engagement: invoice.engagement, agreement: invoice.agreement, replaces: invoice.replaces ?? null, careDate: invoice.careDate,
    status: decision.status, reason: decision.reason, claimedCents: decision.claimedCents, paidCents: decision.paidCents,
    lines: linesOf(invoice.lines, decision), rules: decision.rules, replayed: false,
  };
}

/** A decision's lines as stored, named by the claimed lines they decide. */
export function linesOf(claimed: readonly ClaimedLine[], decision: InvoiceDecision): StoredInvoiceLine[] {
  return decision.lines.map((line, index) => ({
    actCode: claimed[index]?.line.actCode ?? '', domain: claimed[index]?.line.domain ?? '',
    outcome: line.outcome, claimedCents: line.claimedCents, paidCents: line.paidCents, reason: line.reason, rule: line.rule,
  }));
}

/** What the write needs of the request beside the invoice: whose scope, the key's lot, the domains locked, the clock, the caller. */
interface Context {
  insurerId: number;
  lot: string;
  domains: string[];
  today: CalendarDate;
  now: Date;
  caller: Caller;
}

/** The decision and its consumption, or a hold: what the earlier invoice it repeats is. */
async function record(tx: Tx, at: Context, invoice: InvoiceRequest, outcome: InvoiceOutcome, written: InvoiceDecision | { duplicateOf: string }): Promise<void> {
  try {
    if ('duplicateOf' in written) {
      await tx.query(HOLD_SQL, [
        at.insurerId, at.lot, invoice.number, outcome.number, invoice.bodyHash, invoice.engagement, invoice.agreement, invoice.careDate, at.domains,
        outcome.claimedCents, JSON.stringify(outcome.lines), JSON.stringify(invoice.lines), written.duplicateOf, outcome.rules,
        at.now, at.caller.professionalId, at.caller.siteId, at.caller.clientId ?? null,
      ]);
      return;
    }
    await tx.query(RECORD_SQL, [
      at.insurerId, at.lot, invoice.number, outcome.number, invoice.bodyHash, invoice.engagement, invoice.agreement, invoice.replaces ?? null,
      invoice.careDate, at.domains, outcome.status, outcome.reason, outcome.claimedCents, outcome.paidCents, JSON.stringify(outcome.lines), JSON.stringify(consumptionOf(written)), outcome.rules,
      at.today, at.now, at.caller.professionalId, at.caller.siteId, at.caller.clientId ?? null,
    ]);
  } catch (error) {
    // The same key stored meanwhile by a request on another engagement (the lock is per beneficiary): another body under it.
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new RempartError('INVOICE_KEY_REUSED', invoice.number);
    throw error;
  }
}

/** What a decision consumes, sides in the ledger's letters. */
export function consumptionOf(decision: InvoiceDecision): object[] {
  return decision.consumption.map((used) => ({ ...used, side: used.side === null ? null : SIDES[used.side] }));
}
