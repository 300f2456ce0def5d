import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asOwner, asSuperuser } from '../../audit/test-support/superuser.js';
import { homeEnv } from '../../cli/test-support/rempart.js';
import { today } from '../../clock.js';
import { createTestDatabase, withHomeStore, type TestDatabase } from '../../db/test-support/test-database.js';
import { addDays, DAY_MS, type CalendarDate } from '../../domain/dates.js';
import { specimenAccount } from '../../domain/payments/test-support/runs.js';
import { seededRng } from '../../domain/random.js';
import { loadPopulation } from '../../rights/test-support/population.js';
import { LocalMasterKey, Vault } from '../../vault/index.js';
import { platformAccount } from '../sepa/test-support/platform.js';
import { bookInsurers, bookSites, decide, giveAccount } from './test-support/books.js';

const masterKey = randomBytes(32);
/** The test's day, read once: both homes are prepared as of it, whenever each is prepared (the test may cross midnight). */
const TODAY = today();
const RUN_DATE = addDays(TODAY, -1);
/** Invoices per insurer and site: enough for the run's transaction to last long enough for the kills to land inside it. */
const PER_PAIR = 1_500;
const SITES = 4;
const KILLS = 4;

/** A data home for the command: a PGlite folder, or a database of its own on the server, and the folder its files go to. */
interface Home {
  dir: string;
  out: string;
  server: TestDatabase | undefined;
}

async function newHome(root: string, name: string): Promise<Home> {
  const dir = join(root, name);
  mkdirSync(dir);
  return { dir, out: join(dir, 'virements'), server: process.env.DATABASE_URL ? await createTestDatabase() : undefined };
}

/** The same registry, invoices and accounts in every home: loaded with one seed, in one order, so ids agree too. */
async function prepare(home: Home): Promise<void> {
  await withHomeStore(home.dir, home.server, async (t) => {
    await loadPopulation(t.db, new Vault(new LocalMasterKey(masterKey)), 'payments-crash', TODAY);
    const sites = await bookSites(t, SITES, TODAY);
    const insurers = await bookInsurers(t);
    for (const [n, site] of sites.entries()) {
      for (const insurer of insurers) await decide(t, { insurerId: insurer.id, site, count: PER_PAIR, cents: 1_000 + 100 * n, decidedOn: RUN_DATE, batch: 1 });
      // The last site has no account: its invoices wait.
      if (n < SITES - 1) await giveAccount(t, site, sites[(n + 1) % SITES] ?? site, specimenAccount(n + 1), new Date(Date.parse(TODAY) - 30 * DAY_MS));
    }
    // One invoice of the first site paid by an earlier transfer, then cancelled (029): a recovery the run nets.
    const [first] = insurers;
    await asOwner(t, async (owner) => {
      await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(first?.id)]);
      await owner.query(
        `WITH one AS (SELECT number FROM invoice WHERE site_id = $1 AND status = 'paid' ORDER BY number LIMIT 1)
         UPDATE invoice SET payment = 'RP00000000-EARLIER' WHERE number = (SELECT number FROM one)`,
        [sites[0]?.id],
      );
      // Recorded on the run day, before its cut-off.
      await owner.query(
        "SELECT invoice_cancel_write($1, number, 'cancelled', NULL, $2::date + time '23:00' AT TIME ZONE 'UTC', professional_id, NULL) FROM invoice WHERE payment = 'RP00000000-EARLIER'",
        [first?.id, RUN_DATE],
      );
    });
  });
}

/** `rempart payments run` in its own process; `killAfterMs` sends it SIGKILL mid-flight. */
function run(home: Home, killAfterMs?: number): Promise<{ code: number | null; ms: number }> {
  const env: NodeJS.ProcessEnv = {
    ...homeEnv(home.dir), REMPART_MASTER_KEY: masterKey.toString('base64'),
    REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder,
    ...(home.server?.url ? { DATABASE_URL: home.server.url } : {}),
  };
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'payments', 'run', '--date', RUN_DATE, '--out', home.out], { env, stdio: 'ignore' });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started });
    });
  });
}

interface Paid {
  runs: number;
  payments: string[];
  links: string[];
  funding: string[];
  netted: string[];
  /** Invoices in more than one live payment (the index forbids it; counted, not assumed). */
  twice: number;
}

/** What the store says was paid, independent of when: transfers, every invoice's link, funding. */
async function paid(home: Home): Promise<Paid> {
  return withHomeStore(home.dir, home.server, (t) =>
    asSuperuser(t, async (su) => {
      const text = async (sql: string): Promise<string[]> => (await su.query<{ x: string }>(sql)).map((r) => r.x);
      return {
        runs: (await text('SELECT run_date::text AS x FROM payment_run')).length,
        payments: await text("SELECT concat_ws(' ', id, iban, amount_cents, remittance) AS x FROM payment ORDER BY 1"),
        links: await text("SELECT concat_ws(' ', insurer_id, invoice, payment, paid_cents) AS x FROM payment_invoice ORDER BY 1"),
        funding: await text("SELECT concat_ws(' ', insurer_id, run_date, invoice_count, recovery_count, funding_cents) AS x FROM insurer_funding ORDER BY 1"),
        netted: await text("SELECT concat_ws(' ', invoice, amount_cents, netted_by) AS x FROM invoice_recovery ORDER BY 1"),
        twice: Number((await text('SELECT count(*)::text AS x FROM (SELECT 1 FROM payment_invoice WHERE returned_at IS NULL GROUP BY insurer_id, invoice HAVING count(*) > 1) d'))[0]),
      };
    }),
  );
}

/**
 * The day the bank is asked to pay, as the run that committed stored it: the day of that
 * process's clock (run.ts), the next one for a run made after midnight. So a home run
 * later than the other may rightly ask for the next day, and nothing else.
 */
async function executionDate(home: Home): Promise<CalendarDate> {
  return withHomeStore(home.dir, home.server, (t) => asSuperuser(t, async (su) => (await su.query<{ day: CalendarDate }>('SELECT execution_date::text AS day FROM payment_run'))[0]?.day ?? TODAY));
}

/** A day's files asking for another execution day: what the same run stored after midnight makes. */
function executedOn(files: ReadonlyMap<string, string>, from: CalendarDate, to: CalendarDate): Map<string, string> {
  const asked = (day: CalendarDate): string => `<ReqdExctnDt><Dt>${day}</Dt></ReqdExctnDt>`;
  return new Map([...files].map(([name, xml]) => [name, xml.replace(asked(from), asked(to))]));
}

/** The day's files in a home's output folder: the pain.001 only (a killed write may leave its `.part`, never a file of that name). */
function files(home: Home): Map<string, string> {
  let names: string[] = [];
  try {
    names = readdirSync(home.out).filter((name) => name.endsWith('.xml'));
  } catch {
    return new Map();
  }
  return new Map(names.map((name) => [name, readFileSync(join(home.out, name), 'utf8')]));
}

describe('kill -9 during a payment run, then the same command again', () => {
  const homes: Home[] = [];
  afterAll(async () => {
    for (const home of homes) await home.server?.drop();
  });

  it('ends with the payments, links, funding and file bytes of one clean run, each kill leaving the whole run or nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rempart-payments-crash-'));
    const clean = await newHome(root, 'clean');
    const crashed = await newHome(root, 'crashed');
    homes.push(clean, crashed);
    await prepare(clean);
    await prepare(crashed);
    const reference = await run(clean);
    expect(reference.code).toBe(0);
    const expected = await paid(clean);
    expect(expected.payments).toHaveLength(SITES - 1);
    expect(expected.links).toHaveLength((SITES - 1) * 2 * PER_PAIR - 1);
    expect(expected.netted).toEqual([expect.stringMatching(/ 1000 RP[0-9]{8}-[0-9A-Z]{13}$/)]);
    const cleanFiles = files(clean);
    expect(cleanFiles.size).toBe(1);
    const cleanDay = await executionDate(clean);
    expect([...cleanFiles.values()][0]).toContain(`<ReqdExctnDt><Dt>${cleanDay}</Dt></ReqdExctnDt>`);
    expect(cleanDay >= TODAY && cleanDay <= today()).toBe(true);
    // A second run finds the day made: start-up, the read of the run, the file. The kills land from the end of start-up to past a whole run.
    const again = await run(clean);
    expect(again.code).toBe(0);
    expect(await paid(clean)).toEqual(expected);

    const rng = seededRng('payment-kills');
    for (let kill = 0; kill < KILLS; kill += 1) {
      await run(crashed, rng.int(Math.round(again.ms * 0.6), Math.max(reference.ms, again.ms) + 300));
      const state = await paid(crashed);
      expect(state.twice).toBe(0);
      // All or nothing: no transfer, link or funding without its run.
      if (state.runs === 0) expect([state.payments, state.links, state.funding, state.netted.filter((r) => /RP[0-9]{8}-/.test(r))]).toEqual([[], [], [], []]);
      else expect(state).toEqual(expected);
    }
    expect((await run(crashed)).code).toBe(0);
    expect(await paid(crashed)).toEqual(expected);
    // The same file, but for the day asked of the bank when the crashed home's run committed after midnight and the clean one's before.
    const crashedDay = await executionDate(crashed);
    expect(crashedDay >= cleanDay && crashedDay <= today()).toBe(true);
    expect(files(crashed)).toEqual(executedOn(cleanFiles, cleanDay, crashedDay));
  }, 240_000);
});
