import { appendAccessRecord } from '../audit/access-record.js';
import type { Database, Tx } from '../db/database.js';
import { careDomains, isCareDomain, type CareDomain } from '../domain/coverage/care-domain.js';
import { formatGuaranteeExpression, type GuaranteeBasis } from '../domain/coverage/guarantee-expression.js';
import { cents } from '../domain/money.js';
import { domainsForPractice } from '../domain/coverage/practice-domains.js';
import { coveredOn, parseStoredRights } from '../domain/coverage/rights.js';
import { RempartError } from '../domain/errors/codes.js';
import type { Vault } from '../vault/index.js';
import { accessBy, subjectOf, type Caller } from './caller.js';
import type { Shield } from '../shield/engine.js';
import { admit } from './shield-gate.js';
import { engagementWrite, type Engagement } from './engagement.js';
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

interface Candidate {
  id: number;
  rights: string;
  removed_on: string | null;
  member_number: string;
  product_id: number;
  valid_from: string;
  valid_to: string | null;
  guarantees: { d: string; b: GuaranteeBasis | 'none'; r: number; f: number; c: number | null }[] | null;
}

/**
 * IDB: does this insurer cover this person on this day, for what this caller practises?
 * One transaction in the insurer's scope: look the person up by blind index, decide,
 * record the engagement and the access record in one statement. Unknown NIR, wrong birth date or
 * rank, another insurer's member, wrong member number, closed rights: all the same
 * "not covered", through the same statements (THREATS.md point 2).
 */
export async function checkRights(deps: RightsDeps, caller: Caller, query: RightsQuery, now: Date): Promise<RightsAnswer> {
  const relevant = relevantDomains(caller, query);
  const insurerId = await deps.insurers.idOf(query.amcNumber);
  if (insurerId === undefined) throw new RempartError('AMC_UNKNOWN', query.amcNumber);
  const pass = await admit(deps.shield, subjectOf(caller), now);
  const { answer, found, queryKey } = await disclose(deps, caller, query, insurerId, relevant, now);
  await deps.shield.observe(pass, {
    covered: answer.covered,
    beneficiary: answer.covered && found !== undefined ? `${insurerId}:${found}` : null,
    insurerId,
    queryKey,
    honeytoken: found !== undefined && deps.honeytokens.has(insurerId, found),
  }, now.getTime());
  return answer;
}

/** The lookup, the decision and its records, in one transaction in the insurer's scope. */
async function disclose(
  deps: RightsDeps, caller: Caller, query: RightsQuery, insurerId: number, relevant: CareDomain[], now: Date,
): Promise<{ answer: RightsAnswer; found: number | undefined; queryKey: string }> {
  return deps.db.transaction({ insurerId }, async (tx) => {
    const blindIndex = (await deps.vault.blindIndexer(tx, insurerId))([query.nir, query.birthDate.text, String(query.rank)]);
    const candidate = await findCandidate(tx, blindIndex, query, relevant);
    const domains = candidate ? coveredDomains(candidate, query, relevant) : [];
    const engaged = candidate && domains.length > 0
      ? engagementWrite(caller, { insurerId, amcNumber: query.amcNumber, beneficiaryId: candidate.id, productId: candidate.product_id, careDate: query.careDate, domains: domains.map((d) => d.domain) }, now)
      : undefined;
    const answer: RightsAnswer = engaged ? { covered: true, domains, engagement: engaged.engagement } : { covered: false };
    await appendAccessRecord(tx, {
      insurerId,
      beneficiaryId: candidate?.id ?? null,
      ...accessBy(caller),
      purpose: 'rights_check',
      disclosed: answer.covered ? answer.domains.map((d) => d.domain) : [],
      result: answer.covered ? 'covered' : candidate ? 'not_covered' : 'not_found',
    }, engaged?.write);
    // A miss is counted by its keyed index, never by the NIR itself.
    return { answer, found: candidate?.id, queryKey: `${blindIndex.toString('base64')}:${query.memberNumber}` };
  });
}

/** The caller's practice's domains, narrowed to the one asked for; asking outside the practice is refused before any lookup. */
function relevantDomains(caller: Caller, query: RightsQuery): CareDomain[] {
  const practice = domainsForPractice(caller.practice);
  if (query.domain === undefined) return practice;
  if (!practice.includes(query.domain)) throw new RempartError('CARE_DOMAIN_FORBIDDEN', query.domain);
  return [query.domain];
}

/**
 * The person behind a blind index, with their contract and the guarantees of the product
 * version valid on the care day for the asked domains; exported so that the benchmark runs
 * the very same SQL through pgbench.
 */
export const CANDIDATE_SQL = `SELECT b.id, b.rights, b.removed_on::text, c.member_number, c.product_id, c.valid_from::text, c.valid_to::text,
       (SELECT json_agg(json_build_object('d', g.care_domain, 'b', g.basis, 'r', g.rate_bp, 'f', g.flat_cents, 'c', g.annual_ceiling_cents))
          FROM product_version v JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version
         WHERE v.insurer_id = c.insurer_id AND v.product_id = c.product_id AND g.care_domain = ANY($3::text[])
           AND active_on(v.valid_from, v.valid_to, $2::date)) AS guarantees
  FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id
 WHERE b.blind_index = $1`;

async function findCandidate(tx: Tx, blindIndex: Buffer, query: RightsQuery, domains: readonly CareDomain[]): Promise<Candidate | undefined> {
  const found = await tx.query<Candidate>(CANDIDATE_SQL, [blindIndex, query.careDate, domains]);
  const row = found.rows[0];
  return row && { ...row, id: Number(row.id), product_id: Number(row.product_id) };
}

/** Domains covered on the care day: member number matches, contract and rights open, a guarantee that pays. */
function coveredDomains(candidate: Candidate, query: RightsQuery, relevant: readonly CareDomain[]): CoveredDomain[] {
  const day = query.careDate;
  if (candidate.member_number !== query.memberNumber) return [];
  if (candidate.removed_on !== null && candidate.removed_on <= day) return [];
  if (candidate.valid_from > day || (candidate.valid_to !== null && candidate.valid_to < day)) return [];
  const rights = parseStoredRights(candidate.rights);
  const covered: CoveredDomain[] = [];
  for (const g of candidate.guarantees ?? []) {
    if (g.b === 'none' || !isCareDomain(g.d) || !relevant.includes(g.d) || !coveredOn(rights, g.d, day)) continue;
    covered.push({ domain: g.d, label: careDomains[g.d], guarantee: formatGuaranteeExpression({ basis: g.b, rateBp: g.r, flatCents: cents(g.f) }), annualCeilingCents: g.c });
  }
  return covered.sort((a, b) => a.domain.localeCompare(b.domain));
}
