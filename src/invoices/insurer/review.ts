import type { Database } from '../../db/database.js';
import { todayUtc, type CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { adjudicate, rejectWhole, type ClaimedLine, type InvoiceDecision } from '../../domain/invoices/adjudicate.js';
import { consumptionOf, factsOf, linesOf, type DecisionTerms } from '../adjudication.js';

/** The agent's choice, in the API's words. */
export type ReviewDecision = 'payer' | 'rejeter';

/** A row of review_invoice_terms (migration 034): why it cannot be reviewed, or the held invoice and its terms today. */
type ReviewRow = DecisionTerms & (
  | { state: 'not_held' | 'reviewed' | 'cancelled'; held: null }
  | { state: 'held'; held: { number: string; careDate: CalendarDate; claimed: ClaimedLine[]; professionalId: number | string } }
);

export interface Reviewed {
  number: string;
  decision: InvoiceDecision;
}

const REFUSALS = { not_held: 'INVOICE_NOT_HELD', reviewed: 'INVOICE_REVIEWED', cancelled: 'INVOICE_ALREADY_CANCELLED' } as const;
const DECISIONS = { payer: 'pay', rejeter: 'reject' } as const;

/**
 * An insurer's agent decides a near duplicate held for review, in its insurer's scope
 * (another insurer's number is unknown), in one transaction under the lock of the
 * beneficiary's ceilings: « payer » adjudicates it now, with the same rules and the
 * ceilings as they stand (it may be reduced, or rejected if they are spent meanwhile);
 * « rejeter » rejects it for FAC_DUPLICATE. Decided once. Not a disclosure: the agent is
 * answered the decision's amounts, never who was cared for (migration 030's reasoning).
 */
export async function reviewInvoice(db: Database, insurerId: number, staffId: number, number: string, choice: ReviewDecision, reason: string, now: Date): Promise<Reviewed> {
  return db.transaction({ insurerId }, async (tx) => {
    const rows = (await tx.query<ReviewRow>('SELECT * FROM review_invoice_terms($1, $2, $3)', [number, todayUtc(now), now])).rows;
    const first = rows[0];
    if (!first) throw new RempartError('INVOICE_UNKNOWN');
    if (first.state !== 'held') throw new RempartError(REFUSALS[first.state]);
    const { claimed, careDate, professionalId } = first.held;
    const decision = choice === 'payer' ? adjudicate(factsOf(rows, first, { careDate, lines: claimed }, Number(professionalId))) : rejectWhole(claimed, 'FAC_DUPLICATE');
    await tx.query('SELECT review_invoice_record($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)', [
      number, DECISIONS[choice], reason, staffId, decision.status, decision.reason, decision.paidCents,
      JSON.stringify(linesOf(claimed, decision)), JSON.stringify(consumptionOf(decision)), decision.rules, now,
    ]);
    return { number, decision };
  });
}
