import type { Database } from '../../db/database.js';
import type { DecisionPeriod } from '../../domain/invoices/period.js';
import { RempartError } from '../../domain/errors/codes.js';
import { maskIban } from '../../domain/payments/bank-account.js';

/**
 * What a site is told of its payments (issue 18, point 5): each transfer that paid it, when,
 * to which account (masked), for how many of its invoices, and, for one transfer, each of
 * its invoices with the amounts. Only the asking site's share: two sites paid to one
 * account see the transfer's total, never each other's invoices.
 *
 * Not a disclosure of a person: the remittance names the platform's invoice number, the
 * sender's own lot and invoice number and the amounts, as the acknowledgement of the lot
 * did, and nothing of the beneficiary, the care or its date. The site already holds all of
 * it; the insured's identity never leaves the identity tables (payment_site_invoices,
 * migration 032, returns none of it), so no access record is due.
 */
export interface SitePayment {
  reference: string;
  date: string;
  statut: string;
  compte: string;
  montantVirement: number;
  factures: number;
  montantFactures: number;
  recuperations: number;
  montantRecupere: number;
  /** Once the bank's statement is imported (033): the day it debited the transfer. */
  debiteLe?: string;
  /** Or the day it was returned, and the ISO 20022 reason. */
  rejet?: { le: string; motif: string };
}

interface PaymentRow {
  id: string;
  run_date: string;
  status: string;
  iban: string;
  amount_cents: string;
  remittance: string;
  invoices: string;
  invoiced_cents: string;
  recoveries: string;
  recovered_cents: string;
  booked_on: string | null;
  return_reason: string | null;
}

const SITE_PAYMENTS = `
  SELECT p.id, to_char(p.run_date, 'YYYY-MM-DD') AS run_date, p.status, p.iban, p.amount_cents, p.remittance,
         sum(s.invoice_count) AS invoices, sum(s.invoiced_cents) AS invoiced_cents, sum(s.recovery_count) AS recoveries, sum(s.recovered_cents) AS recovered_cents,
         to_char(o.booked_on, 'YYYY-MM-DD') AS booked_on, o.reason AS return_reason
    FROM payment_part s JOIN payment p ON p.id = s.payment LEFT JOIN payment_outcome o ON o.payment = p.id
   WHERE s.site_id = $1`;

function viewOf(row: PaymentRow): SitePayment {
  return {
    reference: row.id, date: row.run_date, statut: row.status, compte: maskIban(row.iban), montantVirement: Number(row.amount_cents),
    factures: Number(row.invoices), montantFactures: Number(row.invoiced_cents), recuperations: Number(row.recoveries), montantRecupere: Number(row.recovered_cents),
    ...bankOutcome(row.booked_on, row.return_reason),
  };
}

/** What the bank said of a transfer, once its statement is imported: debited on a day, or returned on a day with its reason. */
export function bankOutcome(bookedOn: string | null, reason: string | null): Pick<SitePayment, 'debiteLe' | 'rejet'> {
  if (bookedOn === null) return {};
  return reason === null ? { debiteLe: bookedOn } : { rejet: { le: bookedOn, motif: reason } };
}

/** The site's transfers made on the period's run days, newest first. */
export async function sitePayments(db: Database, siteId: number, period: DecisionPeriod): Promise<SitePayment[]> {
  const found = await db.query<PaymentRow>(`${SITE_PAYMENTS} AND p.run_date BETWEEN $2 AND $3 GROUP BY p.id, o.payment ORDER BY p.run_date DESC, p.id`, [siteId, period.from, period.to]);
  return found.rows.map(viewOf);
}

export interface RemittanceLine {
  numero: string;
  lot: string;
  numeroFacture: string;
  demande: number;
  paye: number;
}

/**
 * One transfer as the site sees it: its share and each of its invoices, read in each paying
 * insurer's scope (payment_invoice is under their row-level security). Another site's
 * transfer, or none, is PAYMENT_UNKNOWN: the same answer, so that nothing is learnt of it.
 */
/** A recovery a transfer netted: the cancelled invoice it takes back, and how much. */
export interface NettedLine {
  numero: string;
  montant: number;
}

export async function sitePayment(db: Database, siteId: number, paymentId: string): Promise<SitePayment & { libelle: string; detail: RemittanceLine[]; indus: NettedLine[] }> {
  const found = await db.query<PaymentRow>(`${SITE_PAYMENTS} AND p.id = $2 GROUP BY p.id, o.payment`, [siteId, paymentId]);
  const row = found.rows[0];
  if (!row) throw new RempartError('PAYMENT_UNKNOWN', paymentId);
  const insurers = await db.query<{ insurer_id: number }>('SELECT insurer_id FROM payment_part WHERE payment = $1 AND site_id = $2 ORDER BY insurer_id', [paymentId, siteId]);
  const detail: RemittanceLine[] = [];
  const indus: NettedLine[] = [];
  for (const { insurer_id: insurerId } of insurers.rows) {
    await db.transaction({ insurerId: Number(insurerId) }, async (tx) => {
      const lines = await tx.query<{ number: string; lot: string; invoice_number: string; claimed_cents: string; paid_cents: string }>('SELECT * FROM payment_site_invoices($1, $2)', [paymentId, siteId]);
      for (const line of lines.rows) {
        detail.push({ numero: line.number, lot: line.lot, numeroFacture: line.invoice_number, demande: Number(line.claimed_cents), paye: Number(line.paid_cents) });
      }
      const netted = await tx.query<{ invoice: string; amount_cents: string }>('SELECT * FROM payment_site_recoveries($1, $2)', [paymentId, siteId]);
      for (const line of netted.rows) indus.push({ numero: line.invoice, montant: Number(line.amount_cents) });
    });
  }
  return { ...viewOf(row), libelle: row.remittance, detail, indus };
}
