import { appendAccessRecord } from '../audit/access-record.js';
import type { Tx } from '../db/database.js';
import { isCareDomain, type CareDomain } from '../domain/coverage/care-domain.js';
import { calculateCoverage, type CoverageCalculation, type DomainGuarantee, type InvoiceLine } from '../domain/coverage/calculate.js';
import type { GuaranteeBasis } from '../domain/coverage/guarantee-expression.js';
import type { CalendarDate } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { cents } from '../domain/money.js';
import { accessBy, subjectOf, type Caller } from '../rights/caller.js';
import { admit } from '../rights/shield-gate.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { amcOfEngagement } from '../rights/engagement.js';

interface EngagementRow {
  beneficiary_id: number;
  product_id: number;
  care_date: CalendarDate;
  care_domains: CareDomain[];
  responsible: boolean;
}

interface GuaranteeRow {
  care_domain: string;
  basis: GuaranteeBasis | 'none';
  rate_bp: number;
  flat_cents: number;
  annual_ceiling_cents: number | null;
  consumed_cents: string | null;
}

export interface Calculation {
  engagement: string;
  careDate: CalendarDate;
  result: CoverageCalculation;
}

/**
 * CLC: the AMC part of each invoice line, under an engagement given to this same site and
 * professional, with the guarantees of the product version valid on the care date and the
 * ceilings as already consumed. Logged as a disclosure in the same transaction.
 */
export async function calculateForEngagement(deps: RightsDeps, caller: Caller, number: string, lines: readonly InvoiceLine[], now: Date): Promise<Calculation> {
  const amc = amcOfEngagement(number);
  const insurerId = amc === undefined ? undefined : await deps.insurers.idOf(amc);
  if (insurerId === undefined) throw new RempartError('ENGAGEMENT_UNKNOWN');
  const subject = subjectOf(caller);
  await admit(deps.shield, subject, now);
  const { calculation, beneficiaryId } = await calculate(deps, caller, insurerId, number, lines, now);
  // The check this calculation follows was for care, not for curiosity: the shield counts it so.
  await deps.shield.calculated(subject, `${insurerId}:${beneficiaryId}`, now.getTime());
  return calculation;
}

async function calculate(
  deps: RightsDeps, caller: Caller, insurerId: number, number: string, lines: readonly InvoiceLine[], now: Date,
): Promise<{ calculation: Calculation; beneficiaryId: number }> {
  return deps.db.transaction({ insurerId }, async (tx) => {
    const engagement = await findEngagement(tx, number, caller, now);
    const outside = lines.find((line) => !engagement.care_domains.includes(line.domain));
    if (outside) throw new RempartError('CARE_DOMAIN_NOT_ENGAGED', outside.domain);
    const guarantees = await guaranteesOn(tx, engagement, [...new Set(lines.map((line) => line.domain))]);
    const calculated = calculateCoverage({ careDate: engagement.care_date, lines, terms: { responsable: engagement.responsible, guarantees } });
    if (!calculated.ok) throw new RempartError(calculated.error.code, calculated.error.reason);
    await appendAccessRecord(tx, {
      insurerId,
      beneficiaryId: engagement.beneficiary_id,
      ...accessBy(caller),
      purpose: 'coverage',
      disclosed: lines.map((line) => line.domain),
      result: 'covered',
    });
    return { calculation: { engagement: number, careDate: engagement.care_date, result: calculated.value }, beneficiaryId: engagement.beneficiary_id };
  });
}

/** The engagement, if given to this caller, still open; otherwise one "unknown" for every case. */
async function findEngagement(tx: Tx, number: string, caller: Caller, now: Date): Promise<EngagementRow> {
  const found = await tx.query<EngagementRow>(
    `SELECT e.beneficiary_id, e.product_id, e.care_date::text AS care_date, e.care_domains, p.responsible
       FROM engagement e JOIN product p ON p.insurer_id = e.insurer_id AND p.id = e.product_id
      WHERE e.number = $1 AND e.site_id = $2 AND e.professional_id = $3 AND e.cancelled_at IS NULL AND e.expires_at > $4`,
    [number, caller.siteId, caller.professionalId, now],
  );
  const row = found.rows[0];
  if (!row) throw new RempartError('ENGAGEMENT_UNKNOWN');
  return { ...row, beneficiary_id: Number(row.beneficiary_id), product_id: Number(row.product_id) };
}

async function guaranteesOn(tx: Tx, engagement: EngagementRow, domains: readonly CareDomain[]): Promise<Partial<Record<CareDomain, DomainGuarantee>>> {
  const found = await tx.query<GuaranteeRow>(
    `SELECT g.care_domain, g.basis, g.rate_bp, g.flat_cents, g.annual_ceiling_cents, k.consumed_cents
       FROM product_version v JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version
       LEFT JOIN ceiling_counter k ON k.insurer_id = v.insurer_id AND k.beneficiary_id = $3 AND k.care_domain = g.care_domain
                                  AND k.year = extract(year FROM $2::date)
      WHERE v.product_id = $1 AND active_on(v.valid_from, v.valid_to, $2::date) AND g.care_domain = ANY($4::text[])`,
    [engagement.product_id, engagement.care_date, engagement.beneficiary_id, domains],
  );
  const guarantees: Partial<Record<CareDomain, DomainGuarantee>> = {};
  for (const row of found.rows) {
    if (row.basis === 'none' || !isCareDomain(row.care_domain)) continue;
    guarantees[row.care_domain] = {
      expression: { basis: row.basis, rateBp: row.rate_bp, flatCents: cents(row.flat_cents) },
      annualCeilingCents: row.annual_ceiling_cents === null ? null : cents(row.annual_ceiling_cents),
      consumedCents: cents(Number(row.consumed_cents ?? 0)),
    };
  }
  return guarantees;
}
