import type { Caller } from '../access/caller.js';
import { insurerNamed } from '../claims/calculate.js';
import { todayUtc } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { disclose } from '../disclosure/door.js';
import { calculationSeen, professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { amcOfNumber } from '../rights/engagement.js';
import type { StoredStatus } from './invoice.js';

/** A row of cancel_invoice (migration 029): the status found under the lock, whose care, what is now to recover. */
interface CancelRow {
  previous_status: StoredStatus | 'cancelled';
  beneficiary_id: string | number;
  recovery_cents: string | number | null;
}

export interface InvoiceCancelled {
  number: string;
  /** What a payment had already settled, now to be netted against the next one; null when nothing was paid yet. */
  recoveryCents: number | null;
}

const CANCEL_SQL = 'SELECT * FROM cancel_invoice($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)';

/**
 * Cancels a paid or partly paid invoice for the site that sent it (migration 029
 * cancel_invoice, under the lock of its ceilings): a cancellation row, reversal entries
 * that give back exactly what it consumed, a recovery if a payment had settled it, and
 * its return. One cancelled or replaced already, rejected, or held for review, is refused with its own
 * code and the door rolls the statement back; another site's number is unknown.
 */
export async function cancelInvoice(deps: RightsDeps, caller: Caller, number: string, reason: string | null, now: Date): Promise<InvoiceCancelled> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'invoice',
    insurer: () => insurerNamed(deps, amcOfNumber('F', number), 'INVOICE_UNKNOWN'),
    work: async (tx, insurerId) => {
      const rows = (await tx.query<CancelRow>(CANCEL_SQL, [insurerId, number, reason, todayUtc(now), now, ...callerParams(caller, insurerId, 'invoice')])).rows;
      const found = rows[0];
      if (!found) throw new RempartError('INVOICE_UNKNOWN');
      if (found.previous_status === 'cancelled') throw new RempartError('INVOICE_ALREADY_CANCELLED');
      if (found.previous_status === 'rejected') throw new RempartError('INVOICE_REJECTED');
      if (found.previous_status === 'held') throw new RempartError('INVOICE_HELD');
      const recoveryCents = found.recovery_cents === null ? null : Number(found.recovery_cents);
      return { answer: { number, recoveryCents }, seen: calculationSeen(insurerId, found.beneficiary_id) };
    },
  }, now);
}
