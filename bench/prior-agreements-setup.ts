import pg from 'pg';
import { RECORD_SQL, TERMS_SQL } from '../src/claims/prior-agreements.js';
import { SERVING_ROLE } from '../src/db/database.js';
import type { CalendarDate } from '../src/domain/dates.js';
import { bind, businessNumberSql, oneLine, PLACEHOLDER_SEAL } from './pgbench.js';
import type { Card } from './rights-setup.js';

/** At most this many engagements of its own for pgbench, drawn at random (the HTTP measure's beneficiaries keep whole ceilings). */
const PGBENCH_PROBES = 10_000;

/** Rows of one statement, as the database's owner (a pg client in the bench, the test database's superuser in the test). */
export type OwnerQuery = <R>(sql: string, params?: unknown[]) => Promise<R[]>;

/** `work` with a client of `url`'s role (the bench's database's owner), closed after. */
export async function asOwner<T>(url: string, work: (query: OwnerQuery) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[]);
  } finally {
    await client.end();
  }
}

/** The cards of the HTTP measure (`wanted` at most) and pgbench's (every fifth, `PGBENCH_PROBES` at most), apart: one person is never in both, every insurer in each. */
export function splitCards(cards: readonly Card[], wanted: number): { http: Card[]; pgbench: Card[] } {
  const fifth = (i: number): boolean => i % 5 === 4;
  return { pgbench: cards.filter((_, i) => fifth(i)).slice(0, PGBENCH_PROBES), http: cards.filter((_, i) => !fifth(i)).slice(0, wanted) };
}

/**
 * The agreements of earlier runs, on the database kept between runs, cancelled and their
 * reservations released as cancel_prior_agreement does (a 'released' entry per 'reserved'
 * one), in bulk, as the database's owner, before anything is measured: every run finds its
 * beneficiaries' ceilings whole and no glasses in their renewal delay. How many were open.
 */
export async function releaseEarlierAgreements(query: OwnerQuery): Promise<number> {
  const rows = await query<{ number: string }>(`WITH open AS (
      SELECT insurer_id, number FROM prior_agreement WHERE status IN ('granted', 'partial', 'refused')
    ), released AS (
      INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, family, side, equipment, care_date, amount_cents, kind, source)
      SELECT m.insurer_id, m.beneficiary_id, m.care_domain, m.family, m.side, m.equipment, m.care_date, m.amount_cents, 'released', m.source
        FROM ceiling_entry m JOIN open o ON o.insurer_id = m.insurer_id AND o.number = m.source
       WHERE m.kind = 'reserved'
    )
    UPDATE prior_agreement a SET status = 'cancelled', cancelled_at = now() FROM open o WHERE a.insurer_id = o.insurer_id AND a.number = o.number RETURNING a.number`);
  return rows.length;
}

/** A decision as prior_agreement_record took it (amounts as text: bigint). */
export interface DecidedTemplate {
  status: string;
  requested_cents: string;
  granted_cents: string;
  valid_until: string;
  tolerance_cents: number;
  care_date: string;
  lines: unknown;
  reservations: unknown;
}

/** The optical decision the server made most often since `since`, with its reservations: pgbench records the same. */
export async function decidedTemplate(query: OwnerQuery, since: Date): Promise<DecidedTemplate> {
  const [template] = await query<DecidedTemplate>(
    `SELECT a.status, a.requested_cents::text, a.granted_cents::text, a.valid_until::text, a.tolerance_cents, a.care_date::text, a.lines,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('amountCents', m.amount_cents, 'side', m.side, 'equipment', m.equipment) ORDER BY m.id), '[]'::jsonb)
               FROM ceiling_entry m WHERE m.insurer_id = a.insurer_id AND m.source = a.number AND m.kind = 'reserved') AS reservations
       FROM prior_agreement a WHERE a.created_at >= $1 AND a.care_domain = 'OPTI'
      ORDER BY count(*) OVER (PARTITION BY a.status) DESC, a.number LIMIT 1`,
    [since],
  );
  if (!template) throw new Error('aucun accord préalable décidé par le serveur : pas de modèle pour pgbench');
  return template;
}

/**
 * pgbench's probe table: its engagements, with the caller the server would take from the
 * token (professional, site, software), readable by the serving role. Every engagement
 * must be found: a script that finds nobody would make the yardstick cheaper. The prior
 * agreements' and the invoices' scripts read it (engagementProbe).
 */
export async function fillEngagementProbes(query: OwnerQuery, engagements: readonly string[]): Promise<void> {
  await query('DROP TABLE IF EXISTS bench_engagement_probe');
  await query('CREATE TABLE bench_engagement_probe (i integer PRIMARY KEY, insurer_id integer NOT NULL, amc text NOT NULL, engagement text NOT NULL, beneficiary_id bigint NOT NULL, professional_id bigint NOT NULL, site_id bigint NOT NULL, client_id text)');
  const filled = await query<{ i: number }>(
    `INSERT INTO bench_engagement_probe
     SELECT row_number() OVER (ORDER BY e.number)::integer, e.insurer_id, i.amc_number, e.number, e.beneficiary_id, e.professional_id, e.site_id, e.client_id
       FROM engagement e JOIN insurer i ON i.id = e.insurer_id WHERE e.number = ANY ($1::text[]) RETURNING i`,
    [engagements],
  );
  if (filled.length !== engagements.length) throw new Error(`sondes de pgbench : ${engagements.length - filled.length} engagements sur ${engagements.length} introuvables dans la base`);
  await query(`GRANT SELECT ON bench_engagement_probe TO ${SERVING_ROLE}`);
}

/** A value as a SQL literal pgbench leaves alone: JSON spaced after its colons (pgbench would read « :12000 » as a variable). */
export function jsonLiteral(value: unknown): string {
  return `'${oneLine(JSON.stringify(value, null, 1)).replaceAll("'", "''")}'::jsonb`;
}

/** A column of pgbench's current probe (`:i`) in the probe table. */
export const engagementProbe = (column: string): string => `(SELECT ${column} FROM bench_engagement_probe WHERE i = :i)`;

/** The probe's account as a record function takes it: professional, site, software. */
export const PROBE_ACCOUNT = [engagementProbe('professional_id'), engagementProbe('site_id'), engagementProbe('client_id')];
/** The same as a disclosure takes it: no session, the bench's address and device, a placeholder seal. */
export const PROBE_REQUEST = [...PROBE_ACCOUNT, 'NULL', `'127.0.0.1'`, `'dpop-bench'`, PLACEHOLDER_SEAL];

/** A pgbench script: a random probe (and `sets`), then `statements` in one transaction in the probe's insurer's scope. */
export function probeTransaction(statements: readonly string[], sets: readonly string[] = []): string {
  const scope = `SELECT set_config('rempart.insurer_id', ${engagementProbe('insurer_id')}::text, true);`;
  return ['\\set i random(1, :probes)', ...sets, 'BEGIN;', scope, ...statements.map((statement) => `${oneLine(statement)};`), 'END;', ''].join('\n');
}

/**
 * A prior agreement as the server asks it of the database, as a pgbench script: one
 * transaction in the insurer's scope, disclose_prior_agreement_terms (lock, lazy expiry,
 * guarantee, ledger, access record) then prior_agreement_record (the agreement and its
 * reservations), the statements imported from the code, with `decided`'s lines, amounts
 * and reservations; the caller's fields as the serving role gets them, the seal a
 * placeholder of the right length (pgbench cannot compute the HMAC).
 */
export function agreementScript(decided: DecidedTemplate, careDate: CalendarDate): string {
  const terms = bind(TERMS_SQL, [engagementProbe('insurer_id'), engagementProbe('engagement'), `'OPTI'`, `'${careDate}'::date`, 'now()', ...PROBE_REQUEST]);
  const record = bind(RECORD_SQL, [
    engagementProbe('insurer_id'), engagementProbe('engagement'), ...PROBE_ACCOUNT, 'now()', businessNumberSql('P', engagementProbe('amc')), `'OPTI'`, `'${decided.care_date}'::date`, `'${decided.status}'`,
    decided.requested_cents, decided.granted_cents, `'${decided.valid_until}'::date`, String(decided.tolerance_cents), jsonLiteral(decided.lines), jsonLiteral(decided.reservations), 'NULL',
  ]);
  return probeTransaction([terms, record]);
}
