import type { Caller } from '../access/caller.js';
import { isCareDomain, type CareDomain } from '../domain/coverage/care-domain.js';
import { calculateCoverage, type CoverageCalculation, type CoverageRequest, type DomainGuarantee, type InvoiceLine } from '../domain/coverage/calculate.js';
import { isActFamily, type ActFamily } from '../domain/coverage/act-family.js';
import { parseFamilyExpression, type GuaranteeBasis, type GuaranteeExpression } from '../domain/coverage/guarantee-expression.js';
import type { CalendarDate } from '../domain/dates.js';
import { RempartError, type ErrorCode } from '../domain/errors/codes.js';
import { cents } from '../domain/money.js';
import { disclose } from '../disclosure/door.js';
import { calculationSeen, professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { amcOfEngagement } from '../rights/engagement.js';
import { ceilingTermsOf, type StoredEntry } from './stored-ceilings.js';

/** A row of disclose_coverage (migration 024): the engagement, and one row per guarantee found. */
export interface CoverageRow {
  beneficiary_id: string | number;
  care_date: CalendarDate;
  engaged_domains: string[];
  responsible: boolean;
  care_domain: string | null;
  basis: GuaranteeBasis | 'none' | null;
  rate_bp: number | null;
  flat_cents: string | number | null;
  annual_ceiling_cents: string | number | null;
  /** Act family → wording (migration 023); `{}` when the guarantee has none. */
  families: Record<string, string> | null;
  /** Null: the calendar year. */
  ceiling_period_months: number | null;
  ceiling_scope: string | null;
  renewal_months: number | null;
  /** The age the rights check recorded on the engagement; null before migration 024. */
  beneficiary_age: number | null;
  /** The beneficiary's movements on the domain's ceilings (ceiling_entry), oldest first. */
  entries: StoredEntry[] | null;
}

export interface Calculation {
  engagement: string;
  careDate: CalendarDate;
  result: CoverageCalculation;
}

/** Parameters: insurer, engagement number, domains, now, then the caller's fields (disclosure/subject.ts). */
const DISCLOSE_COVERAGE_SQL = 'SELECT * FROM disclose_coverage($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11)';

/**
 * CLC: the AMC part of each invoice line, under an engagement given to this same site and
 * professional, with the guarantees of the product version valid on the care date and the
 * ceilings as already consumed. Through the door (src/disclosure): the read and its access
 * record in one statement; a calculation the lines make impossible rolls both back and is
 * recorded as refused.
 */
export async function calculateForEngagement(deps: RightsDeps, caller: Caller, number: string, lines: readonly InvoiceLine[], now: Date): Promise<Calculation> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'coverage',
    insurer: () => insurerNamed(deps, amcOfEngagement(number), 'ENGAGEMENT_UNKNOWN'),
    work: async (tx, insurerId) => {
      const domains = [...new Set(lines.map((line) => line.domain))];
      const rows = (await tx.query<CoverageRow>(DISCLOSE_COVERAGE_SQL, [insurerId, number, domains, now, ...callerParams(caller, insurerId, 'coverage')])).rows;
      const { first, request } = engagedRequest(rows, lines);
      const calculated = calculateCoverage(request);
      if (!calculated.ok) throw new RempartError(calculated.error.code, calculated.error.reason);
      return { answer: { engagement: number, careDate: first.care_date, result: calculated.value }, seen: calculationSeen(insurerId, first.beneficiary_id) };
    },
  }, now);
}

/** The insurer a business number names (engagement, prior agreement), or `unknown` when none does. */
export async function insurerNamed(deps: RightsDeps, amc: string | undefined, unknown: ErrorCode): Promise<number> {
  const insurerId = amc === undefined ? undefined : await deps.insurers.idOf(amc);
  if (insurerId === undefined) throw new RempartError(unknown);
  return insurerId;
}

/**
 * The calculation's request from what a disclosure function gave: the engagement found,
 * every line in a domain it engaged, the care date the engagement's unless another is
 * given (a prior agreement's planned day).
 */
export function engagedRequest<R extends CoverageRow>(rows: readonly R[], lines: readonly InvoiceLine[], careDate?: CalendarDate): { first: R; request: CoverageRequest } {
  const first = rows[0];
  if (!first) throw new RempartError('ENGAGEMENT_UNKNOWN');
  const outside = lines.find((line) => !first.engaged_domains.includes(line.domain));
  if (outside) throw new RempartError('CARE_DOMAIN_NOT_ENGAGED', outside.domain);
  const age = first.beneficiary_age === null ? {} : { beneficiaryAgeYears: first.beneficiary_age };
  return { first, request: { careDate: careDate ?? first.care_date, lines, terms: { responsable: first.responsible, guarantees: guaranteesOf(rows) }, ...age } };
}

/** The guarantees a disclosure function's rows carry, one per domain found (also the invoices', src/invoices). */
export function guaranteesOf(rows: readonly CoverageRow[]): Partial<Record<CareDomain, DomainGuarantee>> {
  const guarantees: Partial<Record<CareDomain, DomainGuarantee>> = {};
  for (const row of rows) {
    if (row.basis === null || row.basis === 'none' || row.care_domain === null || !isCareDomain(row.care_domain)) continue;
    guarantees[row.care_domain] = {
      expression: { basis: row.basis, rateBp: row.rate_bp ?? 0, flatCents: cents(Number(row.flat_cents ?? 0)) },
      families: familiesOf(row.families ?? {}),
      annualCeilingCents: row.annual_ceiling_cents === null ? null : cents(Number(row.annual_ceiling_cents)),
      // The annual counters became entries (migration 024): all usage comes from the history.
      consumedCents: cents(0),
      ...ceilingTermsOf(row),
    };
  }
  return guarantees;
}

/**
 * The families' wordings read again. They were checked when the catalogue was loaded: one
 * that no longer reads stops the calculation rather than pay the domain's guarantee instead.
 */
function familiesOf(stored: Record<string, string>): DomainGuarantee['families'] {
  const families: Partial<Record<ActFamily, GuaranteeExpression | null>> = {};
  for (const [family, wording] of Object.entries(stored)) {
    const parsed = parseFamilyExpression(wording);
    if (!isActFamily(family) || !parsed.ok) throw new Error(`garantie stockée illisible : famille ${family} « ${wording} »`);
    families[family] = parsed.value;
  }
  return families;
}
