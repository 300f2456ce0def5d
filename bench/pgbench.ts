import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ACCESS_RECORD_SQL } from '../src/audit/access-record.js';
import { SEAL_BYTES } from '../src/audit/leaf.js';
import { roleUrl } from '../src/db/open.js';
import { APPLICATION_ROLE, SERVING_ROLE } from '../src/db/database.js';
import type { Probe } from './rights-setup.js';
import type { CalendarDate } from '../src/domain/dates.js';
import { DISCLOSE_RIGHTS_SQL } from '../src/rights/check-rights.js';
import { Tally } from './verdict.js';

/** Replaces $n placeholders (highest first, so $10 is not read as $1). */
export function bind(sql: string, values: readonly string[]): string {
  return values.reduceRight((text, value, i) => text.replaceAll(`$${i + 1}`, value), sql);
}

const probe = (column: string): string => `(SELECT ${column} FROM bench_probe WHERE i = :i)`;

/**
 * The rights check as it was before the door (issue 14): the lookup, then the engagement
 * and the access record in one statement (a data-modifying CTE), in one transaction opened
 * in the insurer's scope: four round trips. Kept here as the yardstick the one-statement
 * check is measured against: the lookup word for word, the engagement written when the
 * member number matches (the application decided in between).
 */
const LOOKUP_BEFORE_DOOR = `SELECT b.id, b.rights, b.removed_on::text, c.member_number, c.product_id, c.valid_from::text, c.valid_to::text,
       (SELECT json_agg(json_build_object('d', g.care_domain, 'b', g.basis, 'r', g.rate_bp, 'f', g.flat_cents, 'c', g.annual_ceiling_cents))
          FROM product_version v JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version
         WHERE v.insurer_id = c.insurer_id AND v.product_id = c.product_id AND g.care_domain = ANY($3::text[])
           AND active_on(v.valid_from, v.valid_to, $2::date)) AS guarantees
  FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id
 WHERE b.blind_index = $1`;

export const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

/**
 * A seal of the right length, not a valid one: pgbench cannot compute the application's
 * HMAC, and the database's cost is the same (the bench never runs the sequencer, which
 * would set these rows aside).
 */
export const PLACEHOLDER_SEAL = `decode('01${'00'.repeat(SEAL_BYTES - 1)}', 'hex')`;

/** A fresh business number (engagement E, prior agreement P, invoice F) of the insurer `amc` names, as SQL: 16 characters of [A-Z2-7] after it, as the application draws them. */
export function businessNumberSql(letter: 'E' | 'P' | 'F', amc: string): string {
  return `'${letter}' || ${amc} || '-' || translate(upper(substr(md5(random()::text), 1, 16)), '0189', 'QRST')`;
}

/** The two ways, as pgbench scripts on `careDate`: `before` (four round trips, application role), `after` (the door's one statement, serving role). */
export function pgbenchScripts(careDate: CalendarDate): { before: string; after: string } {
  const lookup = bind(LOOKUP_BEFORE_DOOR, [probe('blind_index'), `'${careDate}'`, `'{PHAR}'`]);
  const insert = bind(ACCESS_RECORD_SQL, [probe('insurer_id'), 'NULL', '1', '1', `'lgo-bench'`, 'NULL', `'127.0.0.1'`, `'dpop-bench'`, `'rights_check'`, `'{PHAR}'`, `'covered'`, 'NULL', PLACEHOLDER_SEAL]);
  // A fresh engagement number per covered check (the table refuses a number twice).
  const number = businessNumberSql('E', probe('amc'));
  const engaged = `WITH engaged AS (INSERT INTO engagement (insurer_id, number, beneficiary_id, product_id, site_id, professional_id, client_id, care_date, care_domains, created_at, expires_at)
    SELECT b.insurer_id, ${number}, b.id, c.product_id, 1, 1, 'lgo-bench', '${careDate}', '{PHAR}', now(), now() + interval '8 days'
      FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id
     WHERE b.blind_index = ${probe('blind_index')} AND c.member_number = ${probe('member_number')}) `;
  const door = bind(DISCLOSE_RIGHTS_SQL, [
    probe('insurer_id'), probe('blind_index'), probe('member_number'), `'${careDate}'::date`, `'{PHAR}'`, number, `now() + interval '8 days'`, 'now()',
    '1', '1', `'lgo-bench'`, 'NULL', `'127.0.0.1'`, `'dpop-bench'`, PLACEHOLDER_SEAL, 'NULL',
  ]);
  return {
    before: ['\\set i random(1, :probes)', 'BEGIN;', `SELECT set_config('rempart.insurer_id', ${probe('insurer_id')}::text, true);`, `${oneLine(lookup)};`, `${oneLine(engaged + insert)};`, 'END;', ''].join('\n'),
    after: ['\\set i random(1, :probes)', `${oneLine(door)};`, ''].join('\n'),
  };
}

/**
 * Fills the probe table (as the owner: the application role may only read it), and checks
 * that every probe of a covered card finds its beneficiary: a lookup that finds nobody
 * would make pgbench's yardstick cheaper than the real check.
 */
export async function fillProbes(url: string, probes: readonly (Probe & { covered: boolean })[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_probe');
    await client.query('CREATE TABLE bench_probe (i integer PRIMARY KEY, insurer_id integer NOT NULL, blind_index bytea NOT NULL, amc text NOT NULL, member_number text NOT NULL)');
    for (let start = 0; start < probes.length; start += 5000) {
      const slice = probes.slice(start, start + 5000);
      await client.query('INSERT INTO bench_probe SELECT * FROM unnest($1::int[], $2::int[], $3::bytea[], $4::text[], $5::text[])', [
        slice.map((_, k) => start + k + 1), slice.map((p) => p.insurerId), slice.map((p) => p.blindIndex), slice.map((p) => p.amc), slice.map((p) => p.memberNumber),
      ]);
    }
    await client.query(`GRANT SELECT ON bench_probe TO ${APPLICATION_ROLE}, ${SERVING_ROLE}`);
    const found = await client.query<{ i: number }>('SELECT p.i FROM bench_probe p JOIN beneficiary b ON b.insurer_id = p.insurer_id AND b.blind_index = p.blind_index');
    const hits = new Set(found.rows.map((row) => Number(row.i)));
    const lost = probes.filter((probe, k) => probe.covered && !hits.has(k + 1)).length;
    if (lost > 0) throw new Error(`sondes de pgbench : ${lost} assurés sur ${probes.filter((p) => p.covered).length} introuvables dans la base`);
  } finally {
    await client.end();
  }
}

/** pgbench's transactions per second for one way of checking on `careDate`, `clients` connections, `seconds` long, and its failed transactions. */
export async function runPgbench(url: string, dir: string, way: 'before' | 'after', probes: number, clients: number, seconds: number, careDate: CalendarDate): Promise<{ tps: number; tally: Tally }> {
  const script = join(dir, `rights-check.${way}.pgbench.sql`);
  writeFileSync(script, pgbenchScripts(careDate)[way]);
  return pgbench(roleUrl(url, way === 'before' ? APPLICATION_ROLE : SERVING_ROLE), script, { probes: String(probes) }, clients, seconds);
}

/**
 * Runs `script` with pgbench (`-M prepared`, `clients` connections, `seconds` long, its
 * variables set by -D) on `url`, as that URL's role: its transactions per second, and its
 * failed transactions tallied.
 */
export async function pgbench(url: string, script: string, variables: Record<string, string>, clients: number, seconds: number): Promise<{ tps: number; tally: Tally }> {
  const app = new URL(url);
  const args = ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(seconds), ...Object.entries(variables).flatMap(([name, value]) => ['-D', `${name}=${value}`]), '-f', script,
    '-h', app.hostname, '-p', app.port || '5432', '-U', app.username, app.pathname.slice(1)];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench : ${text}`))));
  });
  const tps = /tps = ([0-9.]+) \(without initial connection time\)/.exec(output)?.[1];
  const processed = /number of transactions actually processed: (\d+)/.exec(output)?.[1];
  if (!tps || !processed) throw new Error(`pgbench : débit introuvable dans\n${output}`);
  const tally = new Tally();
  tally.successes = Number(processed);
  const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  if (failed > 0) tally.failure('pgbench : transactions en échec', failed);
  return { tps: Number(tps), tally };
}
