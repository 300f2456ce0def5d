/**
 * Near duplicates (MONEY.md, "near duplicates held for review, never silently paid"): an
 * invoice for the same beneficiary, care date and site as an earlier one that still stands,
 * sharing an act with it, under another key (lot, number) — the same care sent twice, or
 * two cares the insurer must tell apart. The caller reads the earlier invoices of that
 * beneficiary and care date at that site under the lock of their ceilings; the rule checks
 * every criterion itself, so it holds whatever the read returns.
 */

/** What the rule compares of an invoice: the sender's key and what identifies the care. */
export interface InvoiceKey {
  readonly siteId: number;
  readonly beneficiaryId: number;
  readonly careDate: string;
  readonly lot: string;
  readonly invoiceNumber: string;
  readonly actCodes: readonly string[];
}

/** An earlier invoice: its key, its platform number, and whether it still stands (neither rejected nor cancelled). */
export interface EarlierInvoice extends InvoiceKey {
  readonly number: string;
  readonly live: boolean;
}

/** The platform number of the first earlier live invoice the candidate repeats, or null: it is decided as usual. */
export function nearDuplicateOf(candidate: InvoiceKey, earlier: readonly EarlierInvoice[]): string | null {
  return earlier.find((other) => repeats(candidate, other))?.number ?? null;
}

function repeats(candidate: InvoiceKey, other: EarlierInvoice): boolean {
  return other.live
    && other.siteId === candidate.siteId
    && other.beneficiaryId === candidate.beneficiaryId
    && other.careDate === candidate.careDate
    && (other.lot !== candidate.lot || other.invoiceNumber !== candidate.invoiceNumber)
    && other.actCodes.some((act) => candidate.actCodes.includes(act));
}
