import type { Caller } from '../access/caller.js';
import type { Database } from '../db/database.js';
import { careDomains, isCareDomain, type CareDomain } from '../domain/coverage/care-domain.js';
import { formatGuaranteeExpression, type GuaranteeBasis } from '../domain/coverage/guarantee-expression.js';
import { cents } from '../domain/money.js';
import { domainsForPractice } from '../domain/coverage/practice-domains.js';
import { RempartError } from '../domain/errors/codes.js';
import { ageOn } from '../domain/identifiers/birth-date.js';
import type { Vault } from '../vault/index.js';
import { disclose } from '../disclosure/door.js';
import { professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { Shield } from '../shield/engine.js';
import { newEngagement, type Engagement } from './engagement.js';
import type { InsurerDirectory } from './insurers.js';
import type { RightsQuery } from './rights-query.js';

export interface RightsDeps {
  db: Database;
  vault: Vault;
  insurers: InsurerDirectory;
  shield: Shield;
  /** Planted records no real patient can present (src/registry/honeytokens). */
  honeytokens: { has(insurerId: number, beneficiaryId: number): boolean };
}

export interface CoveredDomain {
  domain: CareDomain;
  label: string;
  /** The card's wording, e.g. "200% BR". */
  guarantee: string;
  annualCeilingCents: number | null;
}

/** Covered: the domains and the engagement; not covered: nothing more, whatever the reason. */
export type RightsAnswer = { covered: true; domains: CoveredDomain[]; engagement: Engagement } | { covered: false };

/** A row of disclose_rights (migration 022, through disclose_rights_aged of 024): the decision, and one row per covered domain. */
interface DecisionRow {
  beneficiary_id: string | number | null;
  result: 'covered' | 'not_covered' | 'not_found';
  care_domain: string | null;
  basis: GuaranteeBasis | null;
  rate_bp: number | null;
  flat_cents: string | number | null;
  annual_ceiling_cents: string | number | null;
}

/**
 * The rights check's one statement (migration 019): lookup by blind index, decision,
 * engagement and access record. Parameters: insurer, blind index, member number, care
 * date, domains, engagement number, its expiry, now, then the caller's fields and the
 * request's seal (disclosure/subject.ts callerParams), then the age on the care date the
 * engagement keeps for the calculation's renewal delays. Exported for the database benchmark.
 */
export const DISCLOSE_RIGHTS_SQL = 'SELECT * FROM disclose_rights_aged($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::smallint)';

/**
 * IDB: does this insurer cover this person on this day, for what this caller practises?
 * Through the door (src/disclosure): the shield's admission, then one statement on its own
 * (one round trip), in the insurer's scope, that looks the person up by blind index, decides, records the engagement
 * and the access record. Unknown NIR, wrong birth date or rank, another insurer's member,
 * wrong member number, closed rights: all the same "not covered", through the same
 * statement (THREATS.md point 2).
 */
export async function checkRights(deps: RightsDeps, caller: Caller, query: RightsQuery, now: Date): Promise<RightsAnswer> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'lookup'), {
    purpose: 'rights_check',
    insurer: async () => {
      const insurerId = await deps.insurers.idOf(query.amcNumber);
      if (insurerId === undefined) throw new RempartError('AMC_UNKNOWN', query.amcNumber);
      return insurerId;
    },
    statement: async (db, insurerId) => {
      const relevant = relevantDomains(caller, query);
      const blindIndex = (await deps.vault.blindIndexerOf(deps.db, insurerId))([query.nir, query.birthDate.text, String(query.rank)]);
      const engagement = newEngagement(query.amcNumber, query.careDate, now);
      const rows = (await db.query<DecisionRow>(DISCLOSE_RIGHTS_SQL, [
        insurerId, blindIndex, query.memberNumber, query.careDate, relevant, engagement.number, engagement.expiresAt, now, ...callerParams(caller, insurerId, 'rights_check'),
        ageOn(query.birthDate, query.careDate) ?? null,
      ])).rows;
      const id = rows[0]?.beneficiary_id ?? null;
      const found = id === null ? undefined : Number(id);
      const domains = rows.flatMap(coveredDomain);
      const answer: RightsAnswer = domains.length > 0 ? { covered: true, domains, engagement } : { covered: false };
      const observation = {
        covered: answer.covered,
        beneficiary: answer.covered && found !== undefined ? `${insurerId}:${found}` : null,
        insurerId,
        // A miss is counted by its keyed index, never by the NIR itself.
        queryKey: `${blindIndex.toString('base64')}:${query.memberNumber}`,
        honeytoken: found !== undefined && deps.honeytokens.has(insurerId, found),
      };
      return { answer, seen: { kind: 'lookup' as const, observation } };
    },
  }, now);
}

function coveredDomain(row: DecisionRow): CoveredDomain[] {
  if (row.result !== 'covered' || row.care_domain === null || row.basis === null || !isCareDomain(row.care_domain)) return [];
  const expression = { basis: row.basis, rateBp: row.rate_bp ?? 0, flatCents: cents(Number(row.flat_cents ?? 0)) };
  const ceiling = row.annual_ceiling_cents === null ? null : Number(row.annual_ceiling_cents);
  return [{ domain: row.care_domain, label: careDomains[row.care_domain], guarantee: formatGuaranteeExpression(expression), annualCeilingCents: ceiling }];
}

/** The caller's practice's domains, narrowed to the one asked for; asking outside the practice is refused before any lookup. */
function relevantDomains(caller: Caller, query: RightsQuery): CareDomain[] {
  const practice = domainsForPractice(caller.practice);
  if (query.domain === undefined) return practice;
  if (!practice.includes(query.domain)) throw new RempartError('CARE_DOMAIN_FORBIDDEN', query.domain);
  return [query.domain];
}
