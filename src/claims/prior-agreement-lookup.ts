import type { Caller } from '../access/caller.js';
import type { HospitalStay } from '../domain/coverage/hospital-stay.js';
import type { CalendarDate } from '../domain/dates.js';
import { todayUtc } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { disclose } from '../disclosure/door.js';
import { calculationSeen, professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { insurerOfAgreement, type PriorAgreement, type StoredLine } from './prior-agreements.js';

/** A row of disclose_prior_agreement (migration 025), its status as of today. */
interface AgreementRow {
  beneficiary_id: string | number;
  number: string;
  engagement: string;
  care_domain: string;
  care_date: CalendarDate;
  status: PriorAgreement['status'];
  requested_cents: string | number;
  granted_cents: string | number;
  valid_until: CalendarDate;
  tolerance_cents: number;
  lines: StoredLine[];
  stay: HospitalStay | null;
}

const DISCLOSE_SQL = 'SELECT * FROM disclose_prior_agreement($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)';
const CANCEL_SQL = 'SELECT * FROM cancel_prior_agreement($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)';

/**
 * A prior agreement as the site that asked for it sees it, whatever its status: software
 * needs to know why an invoice under a cancelled or expired one will be refused. Another
 * site's number is unknown to it.
 */
export async function consultPriorAgreement(deps: RightsDeps, caller: Caller, number: string, now: Date): Promise<PriorAgreement> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'prior_agreement',
    insurer: () => insurerOfAgreement(deps, number),
    work: async (tx, insurerId) => {
      const rows = (await tx.query<AgreementRow>(DISCLOSE_SQL, [insurerId, number, todayUtc(now), ...callerParams(caller, insurerId, 'prior_agreement')])).rows;
      const row = rows[0];
      if (!row) throw new RempartError('PRIOR_AGREEMENT_UNKNOWN');
      return { answer: agreementOfRow(row), seen: calculationSeen(insurerId, row.beneficiary_id) };
    },
  }, now);
}

/**
 * Cancels a granted, partial or refused agreement and releases its reservations (migration
 * 025 cancel_prior_agreement, under the lock of its ceilings). One already cancelled or
 * expired is refused with its own code, and the door rolls the statement back.
 */
export async function cancelPriorAgreement(deps: RightsDeps, caller: Caller, number: string, now: Date): Promise<{ number: string }> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'prior_agreement',
    insurer: () => insurerOfAgreement(deps, number),
    work: async (tx, insurerId) => {
      const rows = (await tx.query<{ previous_status: PriorAgreement['status']; beneficiary_id: string | number }>(CANCEL_SQL, [insurerId, number, todayUtc(now), now, ...callerParams(caller, insurerId, 'prior_agreement')])).rows;
      const found = rows[0];
      if (!found) throw new RempartError('PRIOR_AGREEMENT_UNKNOWN');
      const previous = found.previous_status;
      if (previous === 'cancelled') throw new RempartError('PRIOR_AGREEMENT_CANCELLED');
      if (previous === 'expired') throw new RempartError('PRIOR_AGREEMENT_EXPIRED');
      if (previous === 'invoiced') throw new RempartError('PRIOR_AGREEMENT_INVOICED');
      return { answer: { number }, seen: calculationSeen(insurerId, found.beneficiary_id) };
    },
  }, now);
}

function agreementOfRow(row: AgreementRow): PriorAgreement {
  return {
    number: row.number, engagement: row.engagement, domain: row.care_domain, careDate: row.care_date, status: row.status,
    requestedCents: Number(row.requested_cents), grantedCents: Number(row.granted_cents), validUntil: row.valid_until,
    toleranceCents: row.tolerance_cents, lines: row.lines, ...(row.stay === null ? {} : { stay: row.stay }),
  };
}
