import type { CeilingEntry, CeilingScope, DomainGuarantee, Side } from '../domain/coverage/calculate.js';
import type { CalendarDate } from '../domain/dates.js';

/** A ceiling_entry as disclose_coverage gives it (migration 024; an expired agreement's reservation left out, 027), sides as stored. */
export interface StoredEntry {
  careDate: CalendarDate;
  amountCents: number | string;
  kind: CeilingEntry['kind'];
  side: 'D' | 'G' | null;
  equipment: CeilingEntry['equipment'] | null;
}

const sides: Readonly<Record<'D' | 'G', Side>> = { D: 'right', G: 'left' };

interface StoredTerms {
  ceiling_period_months: number | null;
  ceiling_scope: string | null;
  renewal_months: number | null;
  entries: StoredEntry[] | null;
}

/**
 * The ceiling's period and scope, the renewal delay and the beneficiary's movements, as the
 * engine reads them. Values the table's checks let through only; the engine checks them
 * again (ceiling-input.ts) and refuses, rather than pay, a row it cannot read.
 */
export function ceilingTermsOf(row: StoredTerms): Pick<DomainGuarantee, 'ceilingPeriod' | 'ceilingScope' | 'renewalMonths' | 'history'> {
  return {
    ceilingPeriod: row.ceiling_period_months === null ? { kind: 'calendar_year' } : { kind: 'rolling', months: row.ceiling_period_months },
    ceilingScope: (row.ceiling_scope ?? 'beneficiary') as CeilingScope,
    renewalMonths: row.renewal_months,
    history: (row.entries ?? []).map(entryOf),
  };
}

function entryOf(stored: StoredEntry): CeilingEntry {
  return {
    careDate: stored.careDate,
    amountCents: Number(stored.amountCents),
    kind: stored.kind,
    ...(stored.side === null ? {} : { side: sides[stored.side] }),
    ...(stored.equipment === null ? {} : { equipment: stored.equipment }),
  };
}
