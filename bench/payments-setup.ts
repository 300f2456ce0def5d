import { addDays, type CalendarDate } from '../src/domain/dates.js';
import { generateFiness } from '../src/domain/identifiers/generate.js';
import { specimenAccount } from '../src/domain/payments/test-support/runs.js';
import { seededRng } from '../src/domain/random.js';
import type { OwnerQuery } from './prior-agreements-setup.js';

/** What the run pays on: the payee sites (each with its confirmed account) and the insurers. */
export interface PaymentBooks {
  siteIds: number[];
  insurers: { id: number; amc: string }[];
}

/**
 * `count` FINESS numbers, valid (department, Luhn key) and distinct from `taken`: drawn
 * from a seeded generator, so the same each time.
 */
export function payeeFiness(count: number, taken: ReadonlySet<string>): string[] {
  const rng = seededRng('payments-bench');
  const made = new Set<string>();
  while (made.size < count) {
    const finess = generateFiness(rng);
    if (!taken.has(finess)) made.add(finess);
  }
  return [...made];
}

/**
 * `payees` pharmacies of their own, each with its account confirmed and in effect since
 * `since` (two professionals of the loaded directory, one proposing and the other
 * confirming, as 031's four eyes ask), written in two statements as the owner. Their
 * accounts are specimenAccount(1…payees): valid RIB and IBAN keys, one per site.
 */
export async function makePayees(query: OwnerQuery, payees: number, since: Date): Promise<number[]> {
  const taken = new Set((await query<{ finess: string }>('SELECT finess FROM site WHERE finess IS NOT NULL')).map((row) => row.finess));
  const finess = payeeFiness(payees, taken);
  const sites = await query<{ id: string }>(
    `INSERT INTO site (finess, name, kind, department)
     SELECT f, 'Pharmacie ' || n, 'officine', left(f, 2) FROM unnest($1::text[]) WITH ORDINALITY AS s(f, n) ORDER BY n RETURNING id`,
    [finess],
  );
  const siteIds = sites.map((row) => Number(row.id));
  const accounts = siteIds.map((_, i) => specimenAccount(i + 1));
  await query(
    `WITH two AS (SELECT min(id) AS proposer, max(id) AS confirmer FROM professional)
     INSERT INTO site_bank_account (site_id, version, iban, bic, holder, proposed_by, proposed_at, operator_only, confirmed_by_professional, confirmed_at, effective_from)
     SELECT a.site, 1, a.iban, a.bic, a.holder, two.proposer, $5, false, two.confirmer, $5, $5
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS a(site, iban, bic, holder), two`,
    [siteIds, accounts.map((a) => a.iban), accounts.map((a) => a.bic), accounts.map((a) => a.holder), since],
  );
  return siteIds;
}

/**
 * One engagement per insurer of the loaded registry (of its first beneficiary), that the
 * bench's invoices are made under; the insurers that have one, by id (an insurer of the
 * registry may have no beneficiary).
 */
export async function makeEngagementPerInsurer(query: OwnerQuery, siteId: number, careDate: CalendarDate): Promise<{ id: number; amc: string }[]> {
  const insurers = await query<{ id: number; amc_number: string }>('SELECT id, amc_number FROM insurer ORDER BY id');
  const engaged: { id: number; amc: string }[] = [];
  for (const insurer of insurers) {
    await query("SELECT set_config('rempart.insurer_id', $1, true)", [String(insurer.id)]);
    const made = await query(
      `INSERT INTO engagement (insurer_id, number, beneficiary_id, product_id, site_id, professional_id, care_date, care_domains, created_at, expires_at)
       SELECT b.insurer_id, 'E' || i.amc_number || '-BENCHPAYMENTSAAA', b.id, c.product_id, $2, (SELECT min(id) FROM professional), $3, '{PHAR}',
              $3::date::timestamp AT TIME ZONE 'UTC', ($3::date + 30)::timestamp AT TIME ZONE 'UTC'
         FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id JOIN insurer i ON i.id = b.insurer_id
        WHERE b.insurer_id = $1 ORDER BY b.id LIMIT 1 RETURNING insurer_id`,
      [insurer.id, siteId, careDate],
    );
    if (made.length > 0) engaged.push({ id: Number(insurer.id), amc: insurer.amc_number });
  }
  return engaged;
}

/**
 * `count` accepted invoices decided on `day`, spread evenly over the day, the insurers and
 * the payee sites (each site gets invoices of every insurer), written in one
 * INSERT … SELECT generate_series per insurer as the owner, in its scope (RLS). One in ten
 * partly paid. Numbers are unique across days (`day` is in them); the run reads only
 * the decision, so the lines and rules are placeholders.
 */
export async function decideDay(query: OwnerQuery, books: PaymentBooks, day: CalendarDate, count: number): Promise<void> {
  const share = Math.ceil(count / books.insurers.length);
  for (const [k, insurer] of books.insurers.entries()) {
    const own = Math.min(share, count - k * share);
    if (own <= 0) break;
    await query("SELECT set_config('rempart.insurer_id', $1, true)", [String(insurer.id)]);
    await query(INVOICES_SQL, [insurer.id, books.siteIds, day, own, k]);
  }
}

/** An invoice's number: F, the AMC number, 16 letters made of the day (8 digits) and the rank in the day (8 digits). */
const INVOICES_SQL = `INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, professional_id, care_date, care_domains,
                              status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
  SELECT e.insurer_id, 'F' || i.amc_number || '-' || translate(to_char($3::date, 'YYYYMMDD') || lpad(g::text, 8, '0'), '0123456789', 'ABCDEFGHIJ'),
         ($2::bigint[])[(g + $5) % cardinality($2::bigint[]) + 1], 'L' || $3 || '-' || (g / 50), 'N' || g,
         sha256(convert_to(i.amc_number || $3 || g, 'UTF8')), e.beneficiary_id, e.number, e.professional_id, $3::date, '{PHAR}',
         CASE WHEN g % 10 = 0 THEN 'partly_paid' ELSE 'paid' END, CASE WHEN g % 10 = 0 THEN 'GAR_CEILING' END,
         CASE WHEN g % 10 = 0 THEN (500 + g % 9000) * 3 / 2 ELSE 500 + g % 9000 END, 500 + g % 9000,
         '[]', 'bench', $3::date::timestamp AT TIME ZONE 'UTC' + (g::bigint * 86399000 / $4) * interval '1 millisecond'
    FROM engagement e JOIN insurer i ON i.id = e.insurer_id, generate_series(1, $4::integer) g
   WHERE e.insurer_id = $1 AND e.number = 'E' || i.amc_number || '-BENCHPAYMENTSAAA'`;

/** The run days of the measures, oldest first: one per size, the last one yesterday (a day's run is made the day after). */
export function runDays(today: CalendarDate, sizes: number): CalendarDate[] {
  return Array.from({ length: sizes }, (_, i) => addDays(today, i - sizes));
}
