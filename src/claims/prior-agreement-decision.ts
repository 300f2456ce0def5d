import type { CoverageCalculation, CoverageRequest, CoverageRule, InvoiceLine } from '../domain/coverage/calculate.js';
import { lastEquipmentBefore, type Equipment } from '../domain/coverage/ceiling-period.js';
import { equipmentOf, renewalMonths } from '../domain/coverage/renewal.js';
import { addDays } from '../domain/dates.js';

export type AgreementStatus = 'granted' | 'partial' | 'refused';

/** One quote line's answer. */
export interface LineDecision {
  /** What the patient would pay without the complementary: price less what the AMO pays. */
  requestedCents: number;
  /** At most what the invoice's AMC part may be (plus the tolerance). */
  grantedCents: number;
  rule: CoverageRule;
  /** What the grant holds on the ceilings until invoiced, cancelled or expired; null: nothing. */
  reservation: Reservation | null;
}

/** A 'reserved' ceiling_entry as prior_agreement_record (migration 025) takes it. */
export interface Reservation {
  amountCents: number;
  side: 'D' | 'G' | null;
  equipment: Equipment | null;
}

export interface Decision {
  status: AgreementStatus;
  lines: LineDecision[];
  requestedCents: number;
  grantedCents: number;
}

/** Rules that mean the line got less than its guarantee says: the agreement is partial. */
const CUT: ReadonlySet<CoverageRule> = new Set(['ceiling_reached', 'renewal_period']);

/**
 * The agreement from the calculation of its quote (src/domain/coverage, unchanged). A line
 * of equipment inside its renewal period is refused outright — the calculation would still
 * owe it the ticket modérateur on an invoice, but an agreement is asked to commit the
 * insurer beforehand, and the law's rule is "one equipment per period" (MONEY.md §6). A
 * grant reserves what the line counts on the ceilings, with its equipment and side, so that
 * a later quote finds the equipment as bought. Status: refused when nothing is granted,
 * partial when a line was cut by a ceiling or a renewal delay, granted otherwise.
 */
export function decide(request: CoverageRequest, calculation: CoverageCalculation): Decision {
  const lines = request.lines.map((line, index): LineDecision => {
    const coverage = calculation.lines[index];
    if (!coverage) throw new Error(`ligne ${index} sans calcul`);
    const requestedCents = coverage.priceCents - coverage.amoPaidCents;
    const equipment = equipmentOf(line) ?? null;
    if (coverage.rule === 'renewal_period' || sameDayEquipment(request, line, equipment)) return { requestedCents, grantedCents: 0, rule: 'renewal_period', reservation: null };
    const grantedCents = coverage.amcCents;
    const holds = grantedCents > 0 && (coverage.ceilingConsumedCents > 0 || equipment !== null);
    const side = line.side === undefined ? null : line.side === 'right' ? 'D' : 'G';
    return { requestedCents, grantedCents, rule: coverage.rule, reservation: holds ? { amountCents: coverage.ceilingConsumedCents, side, equipment } : null };
  });
  const grantedCents = lines.reduce((sum, line) => sum + line.grantedCents, 0);
  const status: AgreementStatus = grantedCents === 0 ? 'refused' : lines.some((line) => CUT.has(line.rule)) ? 'partial' : 'granted';
  return { status, lines, requestedCents: lines.reduce((sum, line) => sum + line.requestedCents, 0), grantedCents };
}

/**
 * An equipment already held for the same day. The renewal rule (ceiling-period.ts
 * lastEquipmentBefore) counts only days strictly before the care day, so that an invoice
 * never meets its own agreement; two agreements for one day would then both pass. The
 * equipment lines of one quote are decided together, so only earlier agreements and
 * invoices are in the history here.
 */
function sameDayEquipment(request: CoverageRequest, line: InvoiceLine, equipment: Equipment | null): boolean {
  const guarantee = request.terms.guarantees[line.domain];
  if (equipment === null || !guarantee) return false;
  const months = renewalMonths(equipment, { responsable: request.terms.responsable, contractMonths: guarantee.renewalMonths ?? null, ageYears: request.beneficiaryAgeYears });
  if (months === undefined) return false;
  const side = equipment === 'hearing_aid' ? line.side : undefined;
  return lastEquipmentBefore(guarantee.history ?? [], addDays(request.careDate, 1), equipment, side) === request.careDate;
}
