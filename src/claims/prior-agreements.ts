import type { Caller } from '../access/caller.js';
import type { Tx } from '../db/database.js';
import { calculateCoverage, type InvoiceLine } from '../domain/coverage/calculate.js';
import { isCareDomain } from '../domain/coverage/care-domain.js';
import { checkStay, type HospitalStay } from '../domain/coverage/hospital-stay.js';
import { addMonths, todayUtc, type CalendarDate } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { disclose } from '../disclosure/door.js';
import { calculationSeen, professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { amcOfEngagement, amcOfNumber, newBusinessNumber } from '../rights/engagement.js';
import { engagedRequest, insurerNamed, type CoverageRow } from './calculate.js';
import { decide, type AgreementStatus, type Decision } from './prior-agreement-decision.js';

/** The domains a prior agreement is asked for (MONEY.md §6): equipment, and hospital stays with their stay (hospital-stay.ts). */
const AGREEMENT_DOMAINS: ReadonlySet<string> = new Set(['OPTI', 'AUDI', 'DENT', 'HOSP']);

/** A quote line with what the agreement keeps of it beyond the calculation's line. */
export interface QuoteLine {
  line: InvoiceLine;
  prescriptionDate?: CalendarDate;
}

export interface AgreementRequest {
  engagement: string;
  careDate: CalendarDate;
  lines: readonly QuoteLine[];
  /** Required for HOSP, refused elsewhere; careDate is then the admission. */
  stay?: HospitalStay;
}

/** A line as stored in prior_agreement.lines and answered. */
export interface StoredLine {
  actCode: string;
  priceCents: number;
  requestedCents: number;
  grantedCents: number;
  rule: string;
  prescriptionDate: CalendarDate | null;
}

export interface PriorAgreement {
  number: string;
  engagement: string;
  domain: string;
  careDate: CalendarDate;
  /** invoiced: an invoice consumed its reservation (migration 028). */
  status: AgreementStatus | 'cancelled' | 'expired' | 'invoiced';
  requestedCents: number;
  grantedCents: number;
  validUntil: CalendarDate;
  toleranceCents: number;
  lines: StoredLine[];
  /** As asked, HOSP only (prior_agreement.stay, migration 026). */
  stay?: HospitalStay;
}

interface TermsRow extends CoverageRow {
  validity_months: number;
  tolerance_cents: number;
}

/** Parameters: insurer, engagement, domain, today, now, then the caller's fields (disclosure/subject.ts). Exported for the bench's pgbench script. */
export const TERMS_SQL = 'SELECT * FROM disclose_prior_agreement_terms($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)';
export const RECORD_SQL = 'SELECT prior_agreement_record($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16::jsonb, $17::jsonb)';

/**
 * A prior agreement on a quote, in one transaction of the door: read the terms and the
 * ledger under the lock of the beneficiary's ceilings for the domain (migration 025), the
 * pure calculation, then the decision and its reservations written before the commit
 * releases the lock. Anything refused before the write rolls the read back with it:
 * nothing reserved, the refusal recorded by the door.
 */
export async function requestPriorAgreement(deps: RightsDeps, caller: Caller, asked: AgreementRequest, now: Date): Promise<PriorAgreement> {
  const amc = amcOfEngagement(asked.engagement);
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'prior_agreement',
    insurer: () => insurerNamed(deps, amc, 'ENGAGEMENT_UNKNOWN'),
    work: async (tx, insurerId) => {
      const domain = onlyDomain(asked.lines);
      const today = todayUtc(now);
      const stayError = checkStay(asked.stay, asked.lines.map((quote) => quote.line), asked.careDate, today);
      if (stayError) throw new RempartError(stayError.code, stayError.reason);
      const rows = (await tx.query<TermsRow>(TERMS_SQL, [insurerId, asked.engagement, domain, today, now, ...callerParams(caller, insurerId, 'prior_agreement')])).rows;
      const { first, request } = engagedRequest(rows, asked.lines.map((quote) => quote.line), asked.careDate);
      const validUntil = addMonths(today, first.validity_months);
      if (asked.careDate < first.care_date || asked.careDate > validUntil) throw new RempartError('PRIOR_AGREEMENT_CARE_DATE', `${asked.careDate} : entre ${first.care_date} et ${validUntil}`);
      const calculated = calculateCoverage(request);
      if (!calculated.ok) throw new RempartError(calculated.error.code, calculated.error.reason);
      const decision = decide(request, calculated.value);
      const agreement = agreementOf(newBusinessNumber('P', amc ?? ''), asked, domain, decision, { validUntil, toleranceCents: first.tolerance_cents });
      await record(tx, insurerId, caller, now, agreement, decision);
      return { answer: agreement, seen: calculationSeen(insurerId, first.beneficiary_id) };
    },
  }, now);
}

/** One domain per agreement, among those that ask for one: one quote is one equipment's, one domain is one lock. */
function onlyDomain(lines: readonly QuoteLine[]): string {
  const domains = [...new Set(lines.map((quote) => quote.line.domain))];
  const [domain] = domains;
  if (domains.length !== 1 || domain === undefined || !AGREEMENT_DOMAINS.has(domain) || !isCareDomain(domain)) throw new RempartError('PRIOR_AGREEMENT_DOMAIN', domains.join(', '));
  return domain;
}

function agreementOf(number: string, asked: AgreementRequest, domain: string, decision: Decision, terms: { validUntil: CalendarDate; toleranceCents: number }): PriorAgreement {
  const lines = decision.lines.map((line, index): StoredLine => {
    const quote = asked.lines[index];
    return {
      actCode: quote?.line.actCode ?? '',
      priceCents: (quote?.line.unitPriceCents ?? 0) * (quote?.line.quantity ?? 0),
      requestedCents: line.requestedCents,
      grantedCents: line.grantedCents,
      rule: line.rule,
      prescriptionDate: quote?.prescriptionDate ?? null,
    };
  });
  return {
    number, engagement: asked.engagement, domain, careDate: asked.careDate, status: decision.status,
    requestedCents: decision.requestedCents, grantedCents: decision.grantedCents, ...terms, lines,
    ...(asked.stay === undefined ? {} : { stay: asked.stay }),
  };
}

async function record(tx: Tx, insurerId: number, caller: Caller, now: Date, agreement: PriorAgreement, decision: Decision): Promise<void> {
  const reservations = decision.lines.flatMap((line) => (line.reservation === null ? [] : [line.reservation]));
  await tx.query(RECORD_SQL, [
    insurerId, agreement.engagement, caller.professionalId, caller.siteId, caller.clientId ?? null, now,
    agreement.number, agreement.domain, agreement.careDate, agreement.status, agreement.requestedCents, agreement.grantedCents,
    agreement.validUntil, agreement.toleranceCents, JSON.stringify(agreement.lines), JSON.stringify(reservations),
    agreement.stay === undefined ? null : JSON.stringify(agreement.stay),
  ]);
}

/** The insurer a prior agreement's number names. */
export function insurerOfAgreement(deps: RightsDeps, number: string): Promise<number> {
  return insurerNamed(deps, amcOfNumber('P', number), 'PRIOR_AGREEMENT_UNKNOWN');
}
