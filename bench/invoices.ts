import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { today } from '../src/clock.js';
import { SERVING_ROLE } from '../src/db/database.js';
import { roleUrl } from '../src/db/open.js';
import type { CalendarDate } from '../src/domain/dates.js';
import { closedLoop, connect, presign, runCount, signedPost, tallyFailure, type Connected, type LoadFigures, type Send } from './http-load.js';
import { invoiceScript, invoiceTemplate, lotBody, lotsOf, makeEngagements, type Account, type BenchLot } from './invoices-setup.js';
import { pgbench } from './pgbench.js';
import type { PriorAgreementsBenchOptions } from './prior-agreements.js';
import { asOwner, fillEngagementProbes, type OwnerQuery } from './prior-agreements-setup.js';
import { OPTICIANS, prepareCallers, type BenchClient } from './rights-setup.js';
import { figuresRow, rps, serverPopulation, startPlatform } from './rights.js';
import { describeShield, shieldEnv } from './shield-settings.js';
import { figuresBlock, machine, table } from './support.js';
import { decimal, describeFailures, ratioVerdict, Tally, verdictLines, type Measured } from './verdict.js';

/** The prior agreements bench's options (optical shops send the lots), and the lot size of the throughput measure. */
export interface InvoicesBenchOptions extends PriorAgreementsBenchOptions {
  lotSize: number;
}

/** Beside the rights (18 080) and prior agreements (18 081) benches' ports. */
const PORT = 18_082;
const LOTS_PATH = '/api/v1/invoices/lots';
/** Invoices per second the measure's engagements are made for, more than the platform takes here (3 s of warm-up, then the measure). */
const POOL_RATE = 2_000;
/** Lot sizes of the memory measure, up to the API's limit (maxItems, src/invoices/lot-request.ts), and the invoices sent at each. */
const MEMORY_LOT_SIZES = [1, 10, 100];
const MEMORY_INVOICES = 3_000;
/** Beyond this growth of the peak RSS from the smallest lots to the largest, memory is not flat in the lot size. */
const MEMORY_GROWTH = 1.25;
/** One operator's day (issue 17), and the time it should take at most. */
const OPERATOR_DAY = 800_000;
const OPERATOR_DAY_MINUTES = 10;
const PGBENCH_CLIENTS = 8;
const PGBENCH_PROBES = 10_000;
/** A lot asked for once the engagements made for the measure ran out: the pool was too small for the platform's pace. */
export const POOL_EXHAUSTED = 'ENGAGEMENTS_EPUISES';

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);

/**
 * Sends `lots` in turn, each one POST by its account, its key unique to this run. Every
 * invoice decided counts (its status tallied in `decisions`); a lot that fails fails each
 * of its invoices, so that a rate and its failures are both in invoices.
 */
function lotSender(origin: string, lots: readonly BenchLot[], clients: ReadonlyMap<string, Connected>, careDate: CalendarDate, decisions: Map<string, number>): Send {
  const run = randomBytes(4).toString('hex');
  let next = 0;
  return async (agent, _i, figures, dueAt) => {
    const turn = next++;
    const lot = lots[turn];
    if (!lot) return exhausted(figures);
    const reply = await signedPost(agent, origin, clients.get(lot.clientId) as Connected, lot.rpps, LOTS_PATH, lotBody(`bench-${run}-${turn}`, lot.engagements, careDate));
    const latency = performance.now() - dueAt;
    const failed = new Tally();
    if (tallyFailure(failed, reply, 200)) {
      for (const [reason, count] of failed.failures) figures.tally.failure(reason, count * lot.engagements.length);
      return;
    }
    for (const { statut } of (JSON.parse(reply.body) as { factures: { statut: string }[] }).factures) {
      decisions.set(statut, (decisions.get(statut) ?? 0) + 1);
      if (statut === 'refusee') figures.tally.failure('INVOICE_KEY_REUSED');
      else figures.tally.successes += 1;
    }
    figures.latenciesMs.push(latency);
  };
}

/** No lot left: counted, and the caller waits a little rather than spin until the measure ends. */
async function exhausted(figures: LoadFigures): Promise<void> {
  figures.tally.failure(POOL_EXHAUSTED);
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/** The process's resident memory now (Linux, /proc). */
function rssBytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

interface MemoryRow {
  lotSize: number;
  lots: number;
  tally: Tally;
  peakBytes: number;
  endBytes: number;
}

/** `lots` sent `connections` at a time while the server's RSS is sampled every 50 ms: its peak and its level at the end. */
async function memoryAt(pid: number, send: Send, lots: readonly BenchLot[], connections: number): Promise<MemoryRow> {
  let peak = rssBytes(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
  try {
    const figures = await runCount(send, connections, lots.length);
    return { lotSize: lots[0]?.engagements.length ?? 0, lots: lots.length, tally: figures.tally, peakBytes: Math.max(peak, rssBytes(pid)), endBytes: rssBytes(pid) };
  } finally {
    clearInterval(sampler);
  }
}

/** The engagements of each measure, made before the server starts. */
interface Pools {
  measure: BenchLot[];
  memory: BenchLot[][];
  probes: string[];
}

/** Engagements for `invoices` invoices in lots of `size`, a lot's worth to each account in turn. */
async function lotsFor(query: OwnerQuery, accounts: readonly Account[], careDate: CalendarDate, invoices: number, size: number): Promise<BenchLot[]> {
  return lotsOf(await makeEngagements(query, accounts, careDate, invoices, size), size);
}

/** The measure's lots, each memory lot size's, and pgbench's probes (filled into its table): all of people no earlier run invoiced. */
async function preparePools(url: string, accounts: readonly Account[], careDate: CalendarDate, options: InvoicesBenchOptions): Promise<Pools> {
  return asOwner(url, async (query) => {
    const measure = await lotsFor(query, accounts, careDate, POOL_RATE * (3 + options.seconds), options.lotSize);
    const memory: BenchLot[][] = [];
    for (const size of MEMORY_LOT_SIZES) memory.push(await lotsFor(query, accounts, careDate, MEMORY_INVOICES, size));
    const probes = (await makeEngagements(query, accounts.slice(0, 100), careDate, PGBENCH_PROBES)).flatMap((pool) => pool.engagements);
    await fillEngagementProbes(query, probes);
    return { measure, memory, probes };
  });
}

/** The tables an invoice writes, analysed once the warm-up wrote some: see `sustained`. */
const WRITTEN_TABLES = 'invoice, invoice_return, ceiling_entry, access_record';

/**
 * After a 3 s warm-up, lots as fast as `connections` callers go for `seconds` (closed
 * loop, proofs signed ahead), the rate taken over the time until the last lot answered:
 * a lot still in flight at the end is seconds of work, which the window alone would not
 * count while counting its invoices. Between the two, the tables the invoices write are
 * analysed, as autovacuum keeps a running platform's: a fresh bench database starts with
 * no invoice at all, and the plans its functions keep for the session, made on empty
 * statistics, read every invoice of the insurer until autovacuum's first pass a minute
 * later (an ANALYZE makes them be planned again).
 */
async function sustained(origin: string, connected: readonly Connected[], send: Send, url: string, options: InvoicesBenchOptions): Promise<LoadFigures> {
  await closedLoop(send, options.connections, 3);
  await asOwner(url, (query) => query(`ANALYZE ${WRITTEN_TABLES}`));
  await presign(origin, connected, Math.ceil((2 * POOL_RATE * options.seconds) / options.lotSize), LOTS_PATH);
  const began = performance.now();
  const figures = await closedLoop(send, options.connections, options.seconds);
  return { ...figures, seconds: (performance.now() - began) / 1000 };
}

/** The platform started, the maximum rate of lots of `lotSize` (closed loop, after a warm-up), then its memory at each lot size. */
async function measureServer(env: NodeJS.ProcessEnv, url: string, clients: readonly BenchClient[], pools: Pools, careDate: CalendarDate, decisions: Map<string, number>, options: InvoicesBenchOptions): Promise<{ max: LoadFigures; memory: MemoryRow[] }> {
  const platform = await startPlatform(env, PORT);
  try {
    const connected = await connect(platform.origin, clients);
    const byId = new Map(connected.map((client) => [client.clientId, client]));
    const sender = (lots: readonly BenchLot[]): Send => lotSender(platform.origin, lots, byId, careDate, decisions);
    const max = await sustained(platform.origin, connected, sender(pools.measure), url, options);
    const memory: MemoryRow[] = [];
    for (const lots of pools.memory) memory.push(await memoryAt(platform.pid, sender(lots), lots, options.connections));
    return { max, memory };
  } finally {
    await platform.stop();
  }
}

/** The peak RSS by lot size, and whether the largest lots' stays within MEMORY_GROWTH of the smallest's. */
function memoryBlock(rows: readonly MemoryRow[]): string[] {
  const [smallest, largest] = [rows[0], rows[rows.length - 1]];
  const growth = smallest && largest ? largest.peakBytes / smallest.peakBytes : Number.NaN;
  return [
    table([
      ['taille du lot', 'lots', 'factures décidées', 'RSS max (Mio)', 'RSS à la fin (Mio)', 'échecs'],
      ...rows.map((row) => [row.lotSize, row.lots, row.tally.successes, mib(row.peakBytes), mib(row.endBytes), row.tally.failed]),
    ]),
    '',
    ...verdictLines({
      label: `Mémoire du serveur, RSS max des lots de ${largest?.lotSize} / lots de ${smallest?.lotSize}`,
      value: decimal(growth, 2),
      goal: `≤ ${decimal(MEMORY_GROWTH)} (plate dans la taille du lot)`,
      met: growth <= MEMORY_GROWTH,
      from: rows.map((row) => ({ name: `lots de ${row.lotSize}`, tally: row.tally })),
    }),
  ];
}

/** The operator's day at the sustained rate: extrapolated, not measured. */
function operatorDayLines(rate: number, seconds: number, from: readonly Measured[]): string[] {
  const minutes = OPERATOR_DAY / Math.max(rate, 1e-9) / 60;
  return verdictLines({
    label: `Journée d’un opérateur (${OPERATOR_DAY.toLocaleString('fr-FR')} factures), extrapolée du débit soutenu sur ${seconds} s`,
    value: `${decimal(minutes, 1)} min`,
    goal: `≤ ${OPERATOR_DAY_MINUTES} min`,
    met: minutes <= OPERATOR_DAY_MINUTES,
    from,
  });
}

export async function benchInvoices(options: InvoicesBenchOptions): Promise<void> {
  const careDate = today();
  const description = await machine();
  const { dir, url, env, provenance } = await serverPopulation(options.rows, 'invoices');
  const { clients } = await prepareCallers(env, options.opticians, [], careDate, OPTICIANS);
  const accounts = clients.flatMap((client) => client.rpps.map((rpps) => ({ clientId: client.clientId, rpps })));
  const pools = await preparePools(url, accounts, careDate, options);
  if (pools.measure.length === 0 || pools.probes.length === 0) throw new Error('aucun engagement optique : plus personne de couvert sans mouvement optique dans la base du banc');
  const started = new Date();
  const decisions = new Map<string, number>();
  const server = await measureServer({ ...env, ...shieldEnv(options.shield, dir) }, url, clients, pools, careDate, decisions, options);

  const script = join(dir, 'invoice.pgbench.sql');
  writeFileSync(script, invoiceScript(await asOwner(url, (query) => invoiceTemplate(query, started)), careDate));
  const yardstick = await pgbench(roleUrl(url, SERVING_ROLE), script, { probes: String(pools.probes.length) }, PGBENCH_CLIENTS, options.seconds);

  const names = {
    pgbench: `pgbench, disclose_invoice_read + invoice_record, une transaction, rôle de service (${PGBENCH_CLIENTS} connexions, ${pools.probes.length} engagements)`,
    server: `factures HTTP, lots de ${options.lotSize}, serveur PostgreSQL, débit max (${options.connections} appelants)`,
  };
  const measured: Measured[] = [{ name: names.pgbench, tally: yardstick.tally }, { name: names.server, tally: server.max.tally }];
  const rows = [
    ['mesure', 'factures décidées/s', 'p50 d’un lot (ms)', 'p99 d’un lot (ms)', 'échecs (factures)'],
    [names.pgbench, Math.round(yardstick.tps), '—', '—', yardstick.tally.failed],
    figuresRow(names.server, server.max),
  ];
  const invoicesMade = pools.measure.reduce((sum, lot) => sum + lot.engagements.length, 0);
  process.stdout.write(
    [
      '',
      '## Factures (DRE)',
      '',
      `Machine : ${description}`,
      `Date des soins : ${careDate} (aujourd’hui) ; ${provenance}`,
      `Bouclier : ${describeShield(options.shield)}, compteurs en mémoire ; plafonds et journal d’accès actifs (séquenceur du serveur en marche).`,
      `Comptes : ${clients.length} ${OPTICIANS.words} (un logiciel et une clé DPoP chacun), ${accounts.length} opticiens exerçant aujourd’hui.`,
      `Préparation, hors mesure : engagements optiques écrits directement en SQL par le propriétaire de la base (comme les laisse une vérification de droits), ` +
        `un bénéficiaire chacun, couvert en optique et sans aucun mouvement optique (plafond entier, pas de lunettes en délai de renouvellement) : ` +
        `${invoicesMade} pour la mesure (${pools.measure.length} lots, prévus pour ${POOL_RATE} factures/s), ${MEMORY_LOT_SIZES.length} × ${MEMORY_INVOICES} pour la mémoire, ${pools.probes.length} pour pgbench.`,
      `Charge : lots de ${options.lotSize} factures de lunettes de classe B (monture + 2 verres simples, la part AMC demandée = prix − part AMO) en POST ${LOTS_PATH}, chaque facture sous un engagement neuf du compte qui envoie le lot.`,
      `Décisions du serveur (échauffement et mesure de mémoire compris) : ${[...decisions].map(([status, count]) => `${status} × ${count}`).join(', ') || 'aucune'}.`,
      '',
      ...figuresBlock(rows, '200, chaque facture du lot décidée, payée, payée partiellement ou rejetée', measured),
      ...ratioVerdict('Rapport factures HTTP / pgbench', rps(server.max) / yardstick.tps, 0.5, [measured[1], measured[0]] as Measured[]),
      ...operatorDayLines(rps(server.max), options.seconds, [measured[1] as Measured]),
      '',
      `Mémoire du serveur par taille de lot (${MEMORY_INVOICES} factures à chaque taille, ${options.connections} appelants, RSS de son processus relevé toutes les 50 ms) :`,
      '',
      ...memoryBlock(server.memory),
      ...(server.memory.some((row) => row.tally.failed > 0) ? server.memory.map((row) => `Échecs, lots de ${row.lotSize} : ${describeFailures(row.tally)}`) : []),
      '',
    ].join('\n'),
  );
}
