import { calculateCoverage, type CoverageRule, type CoverageTerms, type InvoiceLine, type LineCoverage, type Side } from '../coverage/calculate.js';
import type { Equipment } from '../coverage/ceiling-period.js';
import { equipmentOf } from '../coverage/renewal.js';
import { lineAmounts } from '../coverage/line-amounts.js';
import type { CalendarDate } from '../dates.js';
import type { ReasonCode } from './reasons.js';

/**
 * The version of the rules below, stored with each decision (MONEY.md, "deterministic,
 * versioned rules"): a decision is explained later by the rules it was made under.
 */
export const ADJUDICATION_RULES = 'dre-1';

/** One invoice line: the calculation's line and what the professional claims of the AMC for it. */
export interface ClaimedLine {
  readonly line: InvoiceLine;
  readonly claimedCents: number;
  /** The AMO part the invoice states, when it does: checked against rate × base. */
  readonly amoCents?: number;
}

/** The engagement the invoice names (or its prior agreement's), as found for the caller's site. */
export interface EngagementFacts {
  readonly careDate: CalendarDate;
  readonly domains: readonly string[];
  /** Given to the professional who invoices (another site's engagement is never found). */
  readonly sameProfessional: boolean;
  readonly expired: boolean;
  readonly cancelled: boolean;
  /** Another invoice was already paid under it. */
  readonly consumed: boolean;
}

export type AgreementState = 'granted' | 'partial' | 'refused' | 'cancelled' | 'expired' | 'invoiced';

export interface AgreementFacts {
  /** As of today: an agreement past its validity reads expired. */
  readonly status: AgreementState;
  readonly domain: string;
  readonly grantedCents: number;
  readonly toleranceCents: number;
  readonly validUntil: CalendarDate;
  readonly sameProfessional: boolean;
}

export interface InvoiceFacts {
  readonly careDate: CalendarDate;
  readonly lines: readonly ClaimedLine[];
  readonly engagement: EngagementFacts;
  /** Absent: an invoice under an engagement (IDB, CLC) only. */
  readonly agreement?: AgreementFacts;
  /** The guarantees valid on the care date and the ceilings as used, the agreement's own reservation left out. */
  readonly terms: CoverageTerms;
  readonly beneficiaryAgeYears?: number;
}

export type LineOutcome = 'accepted' | 'reduced' | 'rejected';
export type InvoiceStatus = 'paid' | 'partly_paid' | 'rejected';

export interface LineDecision {
  readonly outcome: LineOutcome;
  readonly claimedCents: number;
  readonly paidCents: number;
  /** Null when accepted. */
  readonly reason: ReasonCode | null;
  /** The calculation's rule, when the line was calculated. */
  readonly rule: CoverageRule | null;
}

/** A 'consumed' movement on the beneficiary's ceilings: what the paid amount counts, with its equipment and side for the renewal delays. */
export interface Consumption {
  readonly domain: string;
  readonly amountCents: number;
  readonly side: Side | null;
  readonly equipment: Equipment | null;
}

export interface InvoiceDecision {
  readonly status: InvoiceStatus;
  /** Why the whole invoice was rejected or first reduced; null when paid in full. */
  readonly reason: ReasonCode | null;
  readonly lines: readonly LineDecision[];
  readonly claimedCents: number;
  readonly paidCents: number;
  readonly consumption: readonly Consumption[];
  readonly rules: string;
}

/** What a cut by the calculation's rule is called in the catalogue. */
const RULE_REASONS: Partial<Record<CoverageRule, ReasonCode>> = {
  not_covered: 'GAR_NOT_COVERED',
  ceiling_reached: 'GAR_CEILING',
  renewal_period: 'GAR_RENEWAL',
};

/**
 * The decision on one invoice, pure: the engagement's (or agreement's) state first, which
 * rejects the invoice whole; then each line within it; then the AMC part recomputed by the
 * coverage engine (src/domain/coverage, the CLC's own code) with the guarantees of the care
 * date and the ceilings as used. A line is paid the least of what is claimed, what the
 * rules give and, under an agreement, what the grant (and its tolerance) still leaves;
 * never more, never below zero. The consumption written on the ceilings is the part of the
 * paid amount the calculation counted on them: legal minimums, paid outside the ceilings,
 * come first, so a line paid less than its AMC part consumes less. The engine shares a
 * ceiling among the lines as if each were claimed whole: a line claimed below its part
 * leaves its share unused rather than raise another line into it — the side that pays
 * less, and practice software claims what the calculation (CLC) gave.
 */
export function adjudicate(facts: InvoiceFacts): InvoiceDecision {
  const claimedCents = facts.lines.reduce((sum, line) => sum + line.claimedCents, 0);
  const whole = claimedCents === 0 ? 'FAC_NOTHING_CLAIMED' : referenceReason(facts);
  if (whole !== null) return rejectWhole(facts.lines, whole);
  const outside = facts.lines.map((claimed) => lineReason(facts, claimed));
  const coverages = calculateWithin(facts, outside);
  if (coverages === null) return rejectWhole(facts.lines, 'FAC_LINES');
  const grant = { leftCents: facts.agreement ? facts.agreement.grantedCents + facts.agreement.toleranceCents : Number.POSITIVE_INFINITY };
  const decided = facts.lines.map((claimed, index) => decideLine(claimed, outside[index] ?? null, coverages.get(index), grant));
  return settle(decided.map((d) => d.line), decided.flatMap((d) => (d.consumption === null ? [] : [d.consumption])));
}

/**
 * The engine's calculation of the lines within the reference, by their index in the invoice;
 * null when it refuses them together (an optical equipment it cannot read). The lines left
 * out take no share of the ceilings.
 */
function calculateWithin(facts: InvoiceFacts, outside: readonly (ReasonCode | null)[]): Map<number, LineCoverage> | null {
  const kept = facts.lines.flatMap((claimed, index) => (outside[index] === null ? [{ claimed, index }] : []));
  if (kept.length === 0) return new Map();
  const result = calculateCoverage({
    careDate: facts.careDate,
    lines: kept.map(({ claimed }) => claimed.line),
    terms: facts.terms,
    ...(facts.beneficiaryAgeYears === undefined ? {} : { beneficiaryAgeYears: facts.beneficiaryAgeYears }),
  });
  if (!result.ok) return null;
  const coverages = new Map<number, LineCoverage>();
  kept.forEach(({ index }, at) => {
    const coverage = result.value.lines[at];
    if (coverage) coverages.set(index, coverage);
  });
  return coverages;
}

/** One line: rejected if outside, else paid the least of its claim, its calculation and the grant left (which it lowers). */
function decideLine(claimed: ClaimedLine, outside: ReasonCode | null, coverage: LineCoverage | undefined, grant: { leftCents: number }): { line: LineDecision; consumption: Consumption | null } {
  if (outside !== null || coverage === undefined) {
    // Rejected even when it claims nothing: the line does not belong to this invoice's reference.
    return { line: { outcome: 'rejected', claimedCents: claimed.claimedCents, paidCents: 0, reason: outside ?? 'FAC_LINES', rule: null }, consumption: null };
  }
  const byRules = Math.min(claimed.claimedCents, coverage.amcCents);
  const paid = Math.max(0, Math.min(byRules, grant.leftCents));
  grant.leftCents -= paid;
  const cut = paid < byRules ? 'PEC_ABOVE_GRANT' : (RULE_REASONS[coverage.rule] ?? 'GAR_RULES');
  return { line: lineOf(claimed.claimedCents, paid, cut, coverage.rule), consumption: consumed(claimed.line, coverage, paid) };
}

/** Why the engagement or the agreement named cannot back this invoice at all, if it cannot. */
function referenceReason(facts: InvoiceFacts): ReasonCode | null {
  const { agreement, engagement } = facts;
  if (agreement) {
    if (!agreement.sameProfessional) return 'PS_NOT_ENGAGED';
    if (agreement.status === 'cancelled') return 'PEC_CANCELLED';
    if (agreement.status === 'expired' || facts.careDate > agreement.validUntil) return 'PEC_EXPIRED';
    if (agreement.status === 'refused') return 'PEC_REFUSED';
    if (agreement.status === 'invoiced') return 'PEC_USED';
    // The agreement's care date is the one planned; its engagement's expiry does not bind the delivery.
    return facts.careDate < engagement.careDate ? 'ENG_CARE_DATE' : null;
  }
  if (!engagement.sameProfessional) return 'PS_NOT_ENGAGED';
  if (engagement.cancelled) return 'ENG_CANCELLED';
  if (engagement.expired) return 'ENG_EXPIRED';
  if (engagement.consumed) return 'ENG_CONSUMED';
  return facts.careDate === engagement.careDate ? null : 'ENG_CARE_DATE';
}

/** Why one line lies outside what the engagement or the agreement covers, or states an AMO part of its own. */
function lineReason(facts: InvoiceFacts, claimed: ClaimedLine): ReasonCode | null {
  const domain = claimed.line.domain;
  if (!facts.engagement.domains.includes(domain)) return 'ENG_DOMAIN';
  if (facts.agreement && facts.agreement.domain !== domain) return 'PEC_DOMAIN';
  if (claimed.amoCents !== undefined && claimed.amoCents !== lineAmounts(claimed.line).amoCents) return 'FAC_AMO';
  return null;
}

/** The line's movement on its ceiling: what the paid amount counts there, with its equipment and side. */
function consumed(line: InvoiceLine, coverage: LineCoverage, paid: number): Consumption | null {
  const outside = coverage.amcCents - coverage.ceilingConsumedCents;
  const amountCents = Math.max(0, paid - outside);
  const equipment = equipmentOf(line) ?? null;
  // An equipment paid is recorded even at 0 on the ceiling: its date starts the renewal delay.
  if (amountCents === 0 && (equipment === null || paid === 0)) return null;
  return { domain: line.domain, amountCents, side: line.side ?? null, equipment };
}

function lineOf(claimedCents: number, paidCents: number, reason: ReasonCode | null, rule: CoverageRule | null): LineDecision {
  const outcome: LineOutcome = paidCents === claimedCents ? 'accepted' : paidCents === 0 ? 'rejected' : 'reduced';
  return { outcome, claimedCents, paidCents, reason: outcome === 'accepted' ? null : reason, rule };
}

/** Every line rejected for one reason: a reference that backs nothing, an invoice that cannot be read together. */
export function rejectWhole(claimed: readonly ClaimedLine[], reason: ReasonCode): InvoiceDecision {
  const lines = claimed.map((line): LineDecision => ({ outcome: 'rejected', claimedCents: line.claimedCents, paidCents: 0, reason, rule: null }));
  return { status: 'rejected', reason, lines, claimedCents: sum(lines, 'claimedCents'), paidCents: 0, consumption: [], rules: ADJUDICATION_RULES };
}

function settle(lines: LineDecision[], consumption: Consumption[]): InvoiceDecision {
  const paidCents = sum(lines, 'paidCents');
  const first = lines.find((line) => line.reason !== null)?.reason ?? null;
  const status: InvoiceStatus = paidCents === 0 ? 'rejected' : first === null ? 'paid' : 'partly_paid';
  return { status, reason: first, lines, claimedCents: sum(lines, 'claimedCents'), paidCents, consumption: status === 'rejected' ? [] : consumption, rules: ADJUDICATION_RULES };
}

function sum(lines: readonly LineDecision[], field: 'claimedCents' | 'paidCents'): number {
  return lines.reduce((total, line) => total + line[field], 0);
}
