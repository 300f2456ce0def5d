import { enterInsurerScope, type Tx } from '../../db/database.js';
import type { CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { maskIban } from '../../domain/payments/bank-account.js';
import type { PaymentPlan, Transfer, Withheld } from '../../domain/payments/index.js';
import { countOf } from '../../domain/payments/plan-input.js';
import type { Pain001Version } from '../sepa/schema.js';
import type { Insurer } from './select.js';

/** What the run stores of what waited: counts and amounts, the sites by id, an account only masked. */
export interface WithheldSummary {
  motif: Withheld['reason'];
  structures: number[];
  compte?: string;
  factures: number;
  montant: number;
}

export interface RunHeader {
  runDate: CalendarDate;
  startedAt: Date;
  cutOffAt: Date;
  executionDate: CalendarDate;
  messageId: string;
  version: Pain001Version;
}

/** A transfer's share of one site for one insurer (payment_part): what tracking and the links are made of. */
interface Part {
  payment: string;
  siteId: number;
  insurerId: number;
  invoices: number;
  invoicedCents: number;
  recoveries: number;
  recoveredCents: number;
}

/**
 * The plan, stored in the run's transaction: the transfers with their accounts as read,
 * their shares per site and insurer, each insurer's invoices linked (payment_link, one
 * INSERT … SELECT per insurer, checked against the plan), its funding, and the run's row
 * last. Any refusal rolls all of it back.
 */
export async function recordPlan(tx: Tx, header: RunHeader, plan: PaymentPlan, insurers: readonly Insurer[]): Promise<void> {
  await insertTransfers(tx, header.runDate, plan.transfers);
  const parts = plan.transfers.flatMap(partsOf);
  await insertParts(tx, parts);
  for (const insurer of insurers) {
    await enterInsurerScope(tx, insurer.id);
    await linkInvoices(tx, header.cutOffAt, parts.filter((p) => p.insurerId === insurer.id && p.invoices > 0));
    await netRecoveries(tx, plan.transfers.flatMap((t) => t.recoveries.filter((r) => r.insurerId === insurer.id).map((r) => ({ invoice: r.id, payment: t.paymentId }))));
    const funding = plan.funding.find((f) => f.insurerId === insurer.id);
    if (funding) {
      await tx.query(
        'INSERT INTO insurer_funding (insurer_id, run_date, invoice_count, invoiced_cents, recovery_count, recovered_cents, funding_cents) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [insurer.id, header.runDate, funding.invoiceCount, funding.invoicedCents, funding.recoveryCount, funding.recoveredCents, funding.fundingCents],
      );
    }
  }
  await tx.query(
    `INSERT INTO payment_run (run_date, started_at, cut_off_at, execution_date, recorded_at, message_id, version, transfer_count, invoice_count, amount_cents, recovered_cents, withheld)
     VALUES ($1, $2, $3, $4, clock_timestamp(), $5, $6, $7, $8, $9, $10, $11)`,
    [
      header.runDate, header.startedAt, header.cutOffAt, header.executionDate, header.messageId, header.version, plan.transfers.length,
      sum(parts.map((p) => p.invoices)), sum(plan.transfers.map((t) => t.amountCents)), sum(plan.transfers.map((t) => t.recoveredCents)),
      JSON.stringify(plan.withheld.map(summaryOf)),
    ],
  );
}

async function insertTransfers(tx: Tx, runDate: CalendarDate, transfers: readonly Transfer[]): Promise<void> {
  if (transfers.length === 0) return;
  const column = <T>(pick: (t: Transfer) => T): T[] => transfers.map(pick);
  await tx.query(
    `INSERT INTO payment (id, run_date, iban, bic, holder, amount_cents, invoiced_cents, recovered_cents, remittance)
     SELECT t.id, $1, t.iban, t.bic, t.holder, t.amount, t.invoiced, t.recovered, t.remittance
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[])
         AS t(id, iban, bic, holder, amount, invoiced, recovered, remittance)`,
    [
      runDate, column((t) => t.paymentId), column((t) => t.account.iban), column((t) => t.account.bic), column((t) => t.account.holder),
      column((t) => t.amountCents), column((t) => t.invoicedCents), column((t) => t.recoveredCents), column((t) => t.remittance),
    ],
  );
}

async function insertParts(tx: Tx, parts: readonly Part[]): Promise<void> {
  if (parts.length === 0) return;
  const column = <T>(pick: (p: Part) => T): T[] => parts.map(pick);
  await tx.query(
    `INSERT INTO payment_part (payment, site_id, insurer_id, invoice_count, invoiced_cents, recovery_count, recovered_cents)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::integer[], $5::bigint[], $6::integer[], $7::bigint[])`,
    [column((p) => p.payment), column((p) => p.siteId), column((p) => p.insurerId), column((p) => p.invoices), column((p) => p.invoicedCents),
      column((p) => p.recoveries), column((p) => p.recoveredCents)],
  );
}

/**
 * One insurer's invoices to their transfers, in one statement; what it linked must be what
 * was planned, site by site: an invoice decided and committed between the plan's read and
 * this statement would be paid without being counted, so the run stops (PAYMENT_RUN_CHANGED)
 * and is made again.
 */
async function linkInvoices(tx: Tx, until: Date, parts: readonly Part[]): Promise<void> {
  if (parts.length === 0) return;
  const linked = await tx.query<{ site_id: string; invoices: number; paid_cents: string }>('SELECT * FROM payment_link($1, $2::bigint[], $3::text[])', [
    until, parts.map((p) => p.siteId), parts.map((p) => p.payment),
  ]);
  const got = new Map(linked.rows.map((row) => [Number(row.site_id), `${row.invoices}/${row.paid_cents}`]));
  for (const part of parts) {
    if (got.get(part.siteId) !== `${part.invoices}/${part.invoicedCents}`) {
      throw new RempartError('PAYMENT_RUN_CHANGED', `organisme ${part.insurerId}, structure ${part.siteId}`);
    }
  }
  if (got.size !== parts.length) throw new RempartError('PAYMENT_RUN_CHANGED', `organisme ${parts[0]?.insurerId ?? ''}`);
  // A cancellation that held an invoice's row while the link waited for it committed before the
  // link wrote: the link's snapshot did not see it, this statement's does (029: never pay a
  // cancelled invoice without its recovery). The run is then made again.
  const cancelled = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM payment_invoice l JOIN invoice_cancellation c ON c.insurer_id = l.insurer_id AND c.invoice = l.invoice
      WHERE l.payment = ANY($1::text[]) AND l.returned_at IS NULL`,
    [[...new Set(parts.map((p) => p.payment))]],
  );
  if (Number(cancelled.rows[0]?.n) > 0) throw new RempartError('PAYMENT_RUN_CHANGED', 'facture annulée pendant le paiement');
}

/** One insurer's netted recoveries to their transfers (payment_net: netted_by, once), all of them or the run stops. */
async function netRecoveries(tx: Tx, netted: readonly { invoice: string; payment: string }[]): Promise<void> {
  if (netted.length === 0) return;
  const done = await tx.query<{ n: number }>('SELECT payment_net($1::text[], $2::text[]) AS n', [netted.map((r) => r.invoice), netted.map((r) => r.payment)]);
  if (Number(done.rows[0]?.n) !== netted.length) throw new RempartError('PAYMENT_RUN_CHANGED', 'récupération déjà imputée');
}

/** A transfer's shares: its (insurer, site) sums and the recoveries it nets, per pair. */
function partsOf(transfer: Transfer): Part[] {
  const parts = new Map<string, Part>();
  const partOf = (insurerId: number, siteId: number): Part => {
    const key = `${insurerId}/${siteId}`;
    const found = parts.get(key) ?? { payment: transfer.paymentId, siteId, insurerId, invoices: 0, invoicedCents: 0, recoveries: 0, recoveredCents: 0 };
    parts.set(key, found);
    return found;
  };
  for (const entry of transfer.invoices) {
    const part = partOf(entry.insurerId, entry.siteId);
    part.invoices += countOf(entry);
    part.invoicedCents += entry.paidCents;
  }
  for (const recovery of transfer.recoveries) {
    const part = partOf(recovery.insurerId, recovery.siteId);
    part.recoveries += 1;
    part.recoveredCents += recovery.amountCents;
  }
  return [...parts.values()];
}

function summaryOf(withheld: Withheld): WithheldSummary {
  const invoices = withheld.invoices;
  return {
    motif: withheld.reason,
    structures: [...new Set(invoices.map((i) => i.siteId))].sort((a, b) => a - b),
    ...(withheld.reason === 'PAYMENT_RECOVERIES_EXCEED' ? { compte: maskIban(withheld.account.iban) } : {}),
    factures: sum(invoices.map(countOf)),
    montant: sum(invoices.map((i) => i.paidCents)),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
