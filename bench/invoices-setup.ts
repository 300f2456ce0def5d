import { glassesQuote } from '../src/cli/demo-optician.js';
import type { CalendarDate } from '../src/domain/dates.js';
import { RECORD_SQL, TERMS_SQL } from '../src/invoices/adjudication.js';
import { bind, businessNumberSql } from './pgbench.js';
import { engagementProbe, jsonLiteral, PROBE_ACCOUNT, PROBE_REQUEST, probeTransaction, type OwnerQuery } from './prior-agreements-setup.js';

/** Who sends a lot: a bench software and the optician it names (one account). */
export interface Account {
  clientId: string;
  rpps: string;
}

/** A lot ready to send: its account and the engagements its invoices are made under, one each. */
export interface BenchLot extends Account {
  engagements: string[];
}

/**
 * `count` engagements for optics on `careDate`, written straight into the table as the
 * database's owner, as a rights check would have left them (disclose_rights: same
 * coverage conditions, a fresh number, valid 7 days), each for a beneficiary of its own
 * with no optical movement yet — no glasses in a renewal delay, a whole ceiling — given to
 * the accounts in turn, `block` at a time (a lot's worth: however few people are left,
 * they make whole lots). A rights check per invoice over HTTP would take longer than the
 * measure itself, and is the rights bench's figure, not this one's.
 */
export async function makeEngagements(query: OwnerQuery, accounts: readonly Account[], careDate: CalendarDate, count: number, block = 1): Promise<BenchLot[]> {
  const professionals = await query<{ id: string; rpps: string }>('SELECT id::text, rpps FROM professional WHERE rpps = ANY ($1::text[])', [[...new Set(accounts.map((a) => a.rpps))]]);
  const idOf = new Map(professionals.map((p) => [p.rpps, p.id]));
  const made = await query<{ number: string; k: string }>(ENGAGEMENTS_SQL, [accounts.map((a) => a.clientId), accounts.map((a) => idOf.get(a.rpps)), careDate, count, block]);
  const lots = accounts.map((account): BenchLot => ({ ...account, engagements: [] }));
  for (const row of made) lots[Number(row.k) - 1]?.engagements.push(row.number);
  return lots;
}

const ENGAGEMENTS_SQL = `WITH account AS (
    SELECT a.k, a.client_id, a.professional_id, cl.site_id
      FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS a(client_id, professional_id, k) JOIN client cl ON cl.client_id = a.client_id
  ), candidate AS (
    SELECT b.insurer_id, b.id, c.product_id, i.amc_number
      FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id JOIN insurer i ON i.id = b.insurer_id
     WHERE (b.removed_on IS NULL OR b.removed_on > $3::date) AND c.valid_from <= $3::date AND (c.valid_to IS NULL OR c.valid_to >= $3::date)
       AND rights_cover(b.rights, 'OPTI', $3::date)
       AND EXISTS (SELECT 1 FROM product_version v JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version
                    WHERE v.insurer_id = c.insurer_id AND v.product_id = c.product_id AND active_on(v.valid_from, v.valid_to, $3::date)
                      AND g.care_domain = 'OPTI' AND g.basis <> 'none')
       AND NOT EXISTS (SELECT 1 FROM ceiling_entry m WHERE m.insurer_id = b.insurer_id AND m.beneficiary_id = b.id AND m.care_domain = 'OPTI')
     LIMIT $4
  ), fresh AS (
    SELECT k.*, row_number() OVER () AS n FROM candidate k
  ), made AS (
    INSERT INTO engagement (insurer_id, number, beneficiary_id, product_id, site_id, professional_id, client_id, care_date, care_domains, created_at, expires_at)
    SELECT f.insurer_id, ${businessNumberSql('E', 'f.amc_number')}, f.id, f.product_id, a.site_id, a.professional_id, a.client_id, $3::date, '{OPTI}', now(), now() + interval '7 days'
      FROM fresh f JOIN account a ON a.k = ((f.n - 1) / $5::integer) % (SELECT count(*) FROM account) + 1
    RETURNING number, client_id, professional_id
  )
  SELECT m.number, a.k FROM made m JOIN account a ON a.client_id = m.client_id AND a.professional_id = m.professional_id`;

/** Each account's engagements cut into lots of `size` (the rest, too few for a lot, left out), the accounts in turn. */
export function lotsOf(pools: readonly BenchLot[], size: number): BenchLot[] {
  const cut = pools.map((pool) => Array.from({ length: Math.floor(pool.engagements.length / size) }, (_, i) => ({ ...pool, engagements: pool.engagements.slice(i * size, (i + 1) * size) })));
  const total = cut.reduce((sum, own) => sum + own.length, 0);
  const lots: BenchLot[] = [];
  for (let round = 0; lots.length < total; round += 1) {
    for (const own of cut) if (own[round]) lots.push(own[round] as BenchLot);
  }
  return lots;
}

/**
 * The demo optician's glasses (a frame, two simple lenses) as an invoice's lines, without
 * the quote's prescription date (an invoice line has none): each claims all the AMO
 * leaves, the rules decide what is paid.
 */
export function glassesInvoiceLines(careDate: CalendarDate): object[] {
  return glassesQuote(careDate).map((line) => {
    const { datePrescription, ...invoiced } = line as { prix: number; base: number; tauxAmo: number; datePrescription?: string };
    void datePrescription;
    return { ...invoiced, montantAmc: invoiced.prix - Math.round((invoiced.base * invoiced.tauxAmo) / 100) };
  });
}

/** A lot as POST /api/v1/invoices/lots takes it: one glasses invoice per engagement, dated the engagement's day. */
export function lotBody(lot: string, engagements: readonly string[], careDate: CalendarDate): object {
  const lignes = glassesInvoiceLines(careDate);
  return { lot, factures: engagements.map((engagement, i) => ({ numero: `F${i + 1}`, engagement, dateSoins: careDate, lignes })) };
}

/** A decision as invoice_record took it (amounts as text: bigint), with its consumption as the server passed it. */
export interface InvoiceTemplate {
  status: string;
  reason: string | null;
  claimed_cents: string;
  paid_cents: string;
  lines: unknown;
  consumption: unknown;
  rules: string;
}

/** The decision the server made most often since `since` (by status and amount paid), with its consumption: pgbench records the same. */
export async function invoiceTemplate(query: OwnerQuery, since: Date): Promise<InvoiceTemplate> {
  const [template] = await query<InvoiceTemplate>(
    `SELECT i.status, i.reason, i.claimed_cents::text, i.paid_cents::text, i.lines, i.rules,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('domain', m.care_domain, 'amountCents', m.amount_cents, 'side', m.side, 'equipment', m.equipment) ORDER BY m.id), '[]'::jsonb)
               FROM ceiling_entry m WHERE m.insurer_id = i.insurer_id AND m.source = i.number AND m.kind = 'consumed') AS consumption
       FROM invoice i WHERE i.decided_at >= $1
      ORDER BY count(*) OVER (PARTITION BY i.status, i.paid_cents) DESC, i.number LIMIT 1`,
    [since],
  );
  if (!template) throw new Error('aucune facture décidée par le serveur : pas de modèle pour pgbench');
  return template;
}

/** A sender's key pgbench never repeats: two random integers (pgbench's variables are integers). */
const KEY = [`'pgbench'`, `'B' || :a || '-' || :b`];
const RANDOM_KEY = ['\\set a random(1, 2000000000)', '\\set b random(1, 2000000000)'];
const BODY_HASH = `decode('${'ab'.repeat(32)}', 'hex')`;

/**
 * An invoice as the server asks it of the database, as a pgbench script: one transaction
 * in the insurer's scope, disclose_invoice_read (the engagement, the lock on the
 * beneficiary's optical ceilings, a resend looked up, guarantees, ledger, access record,
 * and the near duplicates' read: migration 041) then invoice_record (the invoice and its
 * consumption), the statements imported from the code, with `decided`'s status, amounts,
 * lines and consumption, under a fresh key.
 */
export function invoiceScript(decided: InvoiceTemplate, careDate: CalendarDate): string {
  const care = `'${careDate}'::date`;
  const terms = bind(TERMS_SQL, [engagementProbe('insurer_id'), ...KEY, engagementProbe('engagement'), 'NULL', 'NULL', care, `'{OPTI}'`, care, 'now()', ...PROBE_REQUEST]);
  const record = bind(RECORD_SQL, [
    engagementProbe('insurer_id'), ...KEY, businessNumberSql('F', engagementProbe('amc')), BODY_HASH, engagementProbe('engagement'), 'NULL', 'NULL', care, `'{OPTI}'`,
    `'${decided.status}'`, decided.reason === null ? 'NULL' : `'${decided.reason}'`, decided.claimed_cents, decided.paid_cents,
    jsonLiteral(decided.lines), jsonLiteral(decided.consumption), `'${decided.rules}'`, care, 'now()', ...PROBE_ACCOUNT,
  ]);
  return probeTransaction([terms, record], RANDOM_KEY);
}
