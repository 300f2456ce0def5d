import { asOwner } from '../../../audit/test-support/superuser.js';
import { today } from '../../../clock.js';
import type { TestDatabase } from '../../../db/test-support/test-database.js';
import { DAY_MS, type CalendarDate } from '../../../domain/dates.js';
import type { BankAccount } from '../../../domain/payments/index.js';
import { specimenAccount } from '../../../domain/payments/test-support/runs.js';

/** A site of the loaded directory with a professional practising there. */
export interface BookSite {
  id: number;
  finess: string;
  professionalId: number;
  rpps: string;
}

/** The loaded directory's first sites where a professional practises on `day` (today unless said), by id. */
export async function bookSites(t: TestDatabase, count: number, day: CalendarDate = today()): Promise<BookSite[]> {
  const rows = await asOwner(t, (owner) =>
    owner.query<{ id: string; finess: string; professional_id: string; rpps: string }>(
      `SELECT DISTINCT ON (s.id) s.id, s.finess, a.professional_id, p.rpps FROM site s JOIN activity a ON a.site_id = s.id JOIN professional p ON p.id = a.professional_id
        WHERE s.finess IS NOT NULL AND active_on(a.started_on, a.ended_on, $2::date) ORDER BY s.id, a.professional_id LIMIT $1`,
      [count, day],
    ),
  );
  if (rows.length < count) throw new Error(`${count} structures demandées, ${rows.length} trouvées`);
  return rows.map((r) => ({ id: Number(r.id), finess: r.finess, professionalId: Number(r.professional_id), rpps: r.rpps }));
}

export interface Decided {
  insurerId: number;
  site: BookSite;
  /** How many invoices, each paying `cents` (a tenth of them partly: claimed 1.5 times); one more, rejected, beside them. */
  count: number;
  cents: number;
  decidedOn: CalendarDate;
  /** Distinguishes batches of one insurer and site. */
  batch: number;
}

/**
 * Invoices as decisions store them (migration 028), written straight in SQL as the owner:
 * a payment run reads only the decision, and a test of a run needs hundreds of them in a
 * second, not the adjudication of each. One engagement per batch, of the insurer's first
 * beneficiary at the site; lines and rules are placeholders the run never reads.
 */
export async function decide(t: TestDatabase, d: Decided): Promise<void> {
  await asOwner(t, async (owner) => {
    await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(d.insurerId)]);
    const tail = (n: string): string => `translate(lpad(${n}, 16, '0'), '0123456789', 'ABCDEFGHIJ')`;
    const key = `(${d.site.id} * 1000 + ${d.batch})::text`;
    await owner.query(
      `INSERT INTO engagement (insurer_id, number, beneficiary_id, product_id, site_id, professional_id, care_date, care_domains, created_at, expires_at)
       SELECT b.insurer_id, 'E' || i.amc_number || '-' || ${tail(key)}, b.id, c.product_id, $2, $3, $4, '{OPTI}', $4::date::timestamp AT TIME ZONE 'UTC', ($4::date + 30)::timestamp AT TIME ZONE 'UTC'
         FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id JOIN insurer i ON i.id = b.insurer_id
        WHERE b.insurer_id = $1 ORDER BY b.id LIMIT 1`,
      [d.insurerId, d.site.id, d.site.professionalId, d.decidedOn],
    );
    await owner.query(
      `INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, professional_id, care_date, care_domains,
                            status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
       SELECT e.insurer_id, 'F' || i.amc_number || '-' || ${tail(`(${key}::bigint * 100000 + g)::text`)}, e.site_id, 'L' || $3, 'N' || g,
              sha256(convert_to(e.number || g, 'UTF8')), e.beneficiary_id, e.number, e.professional_id, e.care_date, '{OPTI}',
              CASE WHEN g > $4 THEN 'rejected' WHEN g % 10 = 0 THEN 'partly_paid' ELSE 'paid' END,
              CASE WHEN g > $4 THEN 'GAR_CEILING' WHEN g % 10 = 0 THEN 'GAR_CEILING' END,
              CASE WHEN g % 10 = 0 THEN $5 * 3 / 2 ELSE $5 END, CASE WHEN g > $4 THEN 0 ELSE $5 END,
              '[]', 'test', e.care_date::timestamp AT TIME ZONE 'UTC' + g * interval '1 millisecond'
         FROM engagement e JOIN insurer i ON i.id = e.insurer_id, generate_series(1, $4 + 1) g
        WHERE e.insurer_id = $1 AND e.number = 'E' || i.amc_number || '-' || ${tail(key)} AND e.site_id = $2`,
      [d.insurerId, d.site.id, d.batch, d.count, d.cents],
    );
    // Their decisions in the returns journal (029), in order, as invoice_record leaves them.
    await owner.query(
      `INSERT INTO invoice_return (insurer_id, site_id, invoice, kind, at, claimed_cents, paid_cents)
       SELECT insurer_id, site_id, number, 'decided', decided_at, claimed_cents, paid_cents FROM invoice
        WHERE insurer_id = $1 AND site_id = $2 AND lot = 'L' || $3 ORDER BY decided_at, number`,
      [d.insurerId, d.site.id, d.batch],
    );
  });
}

/** The site's account, confirmed by another professional and in effect since `since` (what 032's functions leave behind). */
export async function giveAccount(t: TestDatabase, site: BookSite, confirmer: BookSite, account: BankAccount, since: Date): Promise<void> {
  await asOwner(t, (owner) =>
    owner.query(
      `INSERT INTO site_bank_account (site_id, version, iban, bic, holder, proposed_by, proposed_at, operator_only, confirmed_by_professional, confirmed_at, effective_from)
       VALUES ($1, 1, $2, $3, $4, $5, $6, false, $7, $6, $6)`,
      [site.id, account.iban, account.bic, account.holder, site.professionalId, since, confirmer.professionalId],
    ),
  );
}

/** Two sites each paid to its own specimen account (1 and 2), confirmed by the other, in effect for a month: the runs' and the reconciliation's payees. */
export async function giveTwoAccounts(t: TestDatabase, first: BookSite, second: BookSite): Promise<void> {
  const since = new Date(Date.now() - 30 * DAY_MS);
  await giveAccount(t, first, second, specimenAccount(1, 'Optique du Centre'), since);
  await giveAccount(t, second, first, specimenAccount(2, 'Pharmacie de la Gare'), since);
}

/** The insurers of the loaded registry, by id. */
export async function bookInsurers(t: TestDatabase): Promise<{ id: number; amc: string }[]> {
  const rows = await asOwner(t, (owner) => owner.query<{ id: number; amc_number: string }>('SELECT id, amc_number FROM insurer ORDER BY id'));
  return rows.map((r) => ({ id: Number(r.id), amc: r.amc_number }));
}
