import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asOwner, asSuperuser } from '../src/audit/test-support/superuser.js';
import { today } from '../src/clock.js';
import { openDatabase } from '../src/db/open.js';
import type { TestDatabase } from '../src/db/test-support/test-database.js';
import { DAY_MS, type CalendarDate } from '../src/domain/dates.js';
import { validatePain001, type Pain001Version } from '../src/payments/sepa/schema.js';
import { platformAccount } from '../src/payments/sepa/test-support/platform.js';
import { loadPopulation } from '../src/rights/test-support/population.js';
import { LocalMasterKey, Vault } from '../src/vault/index.js';
import { decideDay, makeEngagementPerInsurer, makePayees, runDays, type PaymentBooks } from './payments-setup.js';
import type { OwnerQuery } from './prior-agreements-setup.js';
import { machine, rempart, scratchDatabase, table } from './support.js';
import { decimal, describeFailures, Tally, verdictLines, type Measured } from './verdict.js';

export interface PaymentsBenchOptions {
  /** Invoices of the largest run (an operator's day); the two others pay a quarter and a half of it. */
  invoices: number;
  payees: number;
  store: 'server' | 'pglite';
}

/** The sizes measured, as shares of the largest: memory is flat if the peak does not follow them. */
const SHARES = [0.25, 0.5, 1];
/** Beyond this growth of the run's peak RSS from the smallest run to the largest, memory is not flat in the number of invoices. */
const MEMORY_GROWTH = 1.25;
/** Issue 18: one operator's day paid within 2 minutes. */
const RUN_GOAL_SECONDS = 120;
const VERSION: Pain001Version = 'pain.001.001.09';

const mib = (bytes: number): string => decimal(bytes / 2 ** 20, 1);

/** Where the bench's data lives: a throw-away database on the server, or a PGlite folder the command opens as its home's. */
interface Place {
  home: string;
  url: string | undefined;
  open(): Promise<TestDatabase>;
  drop(): Promise<void>;
}

async function placeFor(store: PaymentsBenchOptions['store']): Promise<Place> {
  const home = mkdtempSync(join(tmpdir(), 'rempart-bench-payments-'));
  const remove = (): void => rmSync(home, { recursive: true, force: true });
  if (store === 'pglite') {
    const dataDir = join(home, 'pglite');
    return { home, url: undefined, open: async () => wrap(await openDatabase({ dataDir }), undefined, dataDir), drop: () => Promise.resolve(remove()) };
  }
  const scratch = await scratchDatabase();
  return {
    home, url: scratch.url, open: async () => wrap(await openDatabase({ url: scratch.url, maxConnections: 2 }), scratch.url, undefined),
    drop: async () => (await scratch.drop(), remove()),
  };
}

function wrap(db: TestDatabase['db'], url: string | undefined, dataDir: string | undefined): TestDatabase {
  return { db, url, dataDir, drop: () => db.close() };
}

/** One transaction as the tables' owner, through the bench's query shape. */
const owning = <T>(t: TestDatabase, work: (query: OwnerQuery) => Promise<T>): Promise<T> => asOwner(t, (owner) => work((sql, params) => owner.query(sql, params)));

/** The registry (a small loaded population), the payees with their accounts, one engagement per insurer: built once, before the first day. */
async function prepareBooks(t: TestDatabase, options: PaymentsBenchOptions, firstDay: CalendarDate): Promise<PaymentBooks> {
  await loadPopulation(t.db, new Vault(new LocalMasterKey(randomBytes(32))), 'rights-tests', today());
  const siteIds = await owning(t, (query) => makePayees(query, options.payees, new Date(Date.parse(firstDay) - 30 * DAY_MS)));
  const insurers = await owning(t, (query) => makeEngagementPerInsurer(query, siteIds[0] ?? 0, firstDay));
  return { siteIds, insurers };
}

interface RunRow {
  day: CalendarDate;
  size: number;
  setupSeconds: number;
  tally: Tally;
  seconds: number;
  peakRssBytes: number;
  transfers: number;
  fileBytes: number;
  validationSeconds: number;
  schemaErrors: number;
}

/** The command's report, as it prints it. */
interface Report {
  invoices: number;
  transfers: number;
  file: string | null;
}

/** A day's invoices written (timed apart), then `rempart payments run --date day` in its own process: its time, its peak memory, its file checked. */
async function measureDay(place: Place, books: PaymentBooks, day: CalendarDate, size: number): Promise<RunRow> {
  const t = await place.open();
  const began = performance.now();
  try {
    await owning(t, (query) => decideDay(query, books, day, size));
    await asSuperuser(t, (su) => su.query('ANALYZE invoice'));
  } finally {
    await t.db.close();
  }
  const setupSeconds = (performance.now() - began) / 1000;
  const env = {
    REMPART_HOME: place.home, DATABASE_URL: place.url ?? '', REMPART_MASTER_KEY: randomBytes(32).toString('base64'),
    REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder,
  };
  const run = await rempart(['payments', 'run', '--date', day, '--out', join(place.home, 'virements')], env);
  const row: RunRow = { day, size, setupSeconds, tally: new Tally('paiements'), seconds: run.seconds, peakRssBytes: run.peakRssBytes, transfers: 0, fileBytes: 0, validationSeconds: 0, schemaErrors: 0 };
  if (run.code !== 0) return (row.tally.failure(`code ${run.code}`), row);
  const report = JSON.parse(run.stdout) as Report;
  if (report.invoices !== size || !report.file) return (row.tally.failure(`${report.invoices} factures payées sur ${size}`), row);
  row.tally.success();
  const xml = readFileSync(report.file, 'utf8');
  const checking = performance.now();
  row.schemaErrors = validatePain001(xml, VERSION).length;
  return { ...row, transfers: report.transfers, fileBytes: statSync(report.file).size, validationSeconds: (performance.now() - checking) / 1000 };
}

function verdicts(rows: readonly RunRow[]): string[] {
  const measured = (row: RunRow): Measured => ({ name: `paiement de ${row.size} factures`, tally: row.tally });
  const [smallest, largest] = [rows[0], rows[rows.length - 1]];
  if (!smallest || !largest) return [];
  const growth = largest.peakRssBytes / smallest.peakRssBytes;
  return [
    ...verdictLines({ label: `Paiement de ${largest.size} factures`, value: `${decimal(largest.seconds, 1)} s`, goal: `≤ ${RUN_GOAL_SECONDS} s`, met: largest.seconds <= RUN_GOAL_SECONDS, from: [measured(largest)] }),
    ...verdictLines({
      label: `Mémoire de la commande, RSS max à ${largest.size} / à ${smallest.size} factures`, value: decimal(growth, 2),
      goal: `≤ ${decimal(MEMORY_GROWTH)} (plate dans le nombre de factures)`, met: growth <= MEMORY_GROWTH, from: rows.map(measured),
    }),
    ...verdictLines({
      label: `Fichiers pain.001 conformes au schéma ISO 20022 (${VERSION})`, value: `${rows.filter((r) => r.schemaErrors === 0).length}/${rows.length}`,
      goal: 'tous', met: rows.every((r) => r.schemaErrors === 0), from: rows.map(measured),
    }),
  ];
}

/**
 * Issue 18's figures: the payment run of an operator's day (`invoices` accepted invoices
 * over `payees` accounts) as `rempart payments run` makes it, after runs of a quarter and
 * a half of it on the days before (each day's invoices new, the earlier ones paid).
 */
export async function benchPayments(options: PaymentsBenchOptions): Promise<void> {
  const description = options.store === 'server' ? await machine() : `PGlite embarqué, Node ${process.version}`;
  const days = runDays(today(), SHARES.length);
  const place = await placeFor(options.store);
  try {
    const t = await place.open();
    const booksBegan = performance.now();
    const books = await prepareBooks(t, options, days[0] as CalendarDate).finally(() => t.db.close());
    const booksSeconds = (performance.now() - booksBegan) / 1000;
    const rows: RunRow[] = [];
    for (const [i, share] of SHARES.entries()) rows.push(await measureDay(place, books, days[i] as CalendarDate, Math.round(options.invoices * share)));
    process.stdout.write(
      [
        '',
        '## Paiements (virements SEPA)',
        '',
        `Machine : ${description}`,
        `Base : ${options.store === 'server' ? 'serveur PostgreSQL, base jetable' : 'PGlite (dossier du répertoire de données de la commande)'} ; ` +
          `préparation ${decimal(booksSeconds, 1)} s : population de test chargée, ${books.siteIds.length} pharmacies avec leur compte confirmé, ${books.insurers.length} organismes.`,
        `Chaque jour : ses factures acceptées écrites en SQL (generate_series, une instruction par organisme, réparties sur la journée, les organismes et les comptes ; 1 sur 10 payée partiellement), ANALYZE, ` +
          `puis \`rempart payments run --date JOUR\` (bin/rempart.js, son propre processus, RSS relevé toutes les 10 ms), le fichier relu et validé contre le XSD par libxml2-wasm.`,
        '',
        table([
          ['jour payé', 'factures', 'écriture (s)', 'virements', 'paiement (s)', 'RSS max (Mio)', 'pain.001 (Mio)', 'validation XSD (s)', 'erreurs de schéma'],
          ...rows.map((r) => [r.day, r.size, decimal(r.setupSeconds, 1), r.transfers, decimal(r.seconds, 1), mib(r.peakRssBytes), mib(r.fileBytes), decimal(r.validationSeconds, 2), r.schemaErrors]),
        ]),
        '',
        ...rows.filter((r) => r.tally.failed > 0).map((r) => `Échec, ${r.day} : ${describeFailures(r.tally)}`),
        ...verdicts(rows),
        '',
      ].join('\n'),
    );
  } finally {
    await place.drop();
  }
}
