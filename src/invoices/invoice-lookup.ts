import type { Caller } from '../access/caller.js';
import { insurerNamed } from '../claims/calculate.js';
import { RempartError } from '../domain/errors/codes.js';
import { disclose } from '../disclosure/door.js';
import { calculationSeen, professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { amcOfNumber } from '../rights/engagement.js';
import { outcomeOfStored, type InvoiceOutcome, type StoredCancellation, type StoredInvoice } from './invoice.js';

const DISCLOSE_SQL = 'SELECT * FROM disclose_invoice($1, $2, $3, $4, $5, $6, $7, $8, $9)';

/** A row of disclose_invoice (migration 029): the decision, its cancellation, the correction that replaced it. */
interface ConsultedRow {
  beneficiary_id: string | number;
  stored: StoredInvoice;
  cancellation: StoredCancellation | null;
  replaced_by: string | null;
}

/** An invoice's stored decision and what happened to it since, for the site that sent it; another site's number is unknown to it (migrations 028, 029). */
export async function consultInvoice(deps: RightsDeps, caller: Caller, number: string, now: Date): Promise<InvoiceOutcome> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'invoice',
    insurer: () => insurerNamed(deps, amcOfNumber('F', number), 'INVOICE_UNKNOWN'),
    work: async (tx, insurerId) => {
      const rows = (await tx.query<ConsultedRow>(DISCLOSE_SQL, [insurerId, number, ...callerParams(caller, insurerId, 'invoice')])).rows;
      const row = rows[0];
      if (!row) throw new RempartError('INVOICE_UNKNOWN');
      const since = { cancellation: row.cancellation, replacedBy: row.replaced_by };
      return { answer: { ...outcomeOfStored(row.stored, false), since }, seen: calculationSeen(insurerId, row.beneficiary_id) };
    },
  }, now);
}
