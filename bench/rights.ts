import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDatabase } from '../src/db/test-support/test-database.js';
import { today } from '../src/clock.js';
import type { CalendarDate } from '../src/domain/dates.js';
import { CHECK_PATH, closedLoop, connect, isMiss, meetEveryAccount, newFigures, openLoop, percentile, presign, rightsCheck, type Connected, type LoadFigures, type Send } from './http-load.js';
import { fillProbes, runPgbench } from './pgbench.js';
import { loadOnce, placeEnv, population, prepareCallers, sampleCards, strangerOf, type Card } from './rights-setup.js';
import { describeShield, shieldEnv, type ShieldSetting } from './shield-settings.js';
import { adminQuery, figuresBlock, machine, serverUrl } from './support.js';
import { perSecond, ratioVerdict, verdictLines, type Measured } from './verdict.js';

export interface RightsBenchOptions {
  rows: number;
  pgliteRows: number;
  seconds: number;
  connections: number;
  /** Pharmacies whose software calls (all their pharmacists practising today are accounts). */
  pharmacies: number;
  shield: ShieldSetting;
}

const PORT = 18_080;
/** Proofs signed ahead per second of the maximum-rate window (more than the platform can take here). */
const PROOFS_PER_SECOND = 2_500;

/** The platform in its own process, as deployed: `rempart start` on the bench's environment, on `port`; its process id, for its memory. */
export async function startPlatform(env: NodeJS.ProcessEnv, port = PORT): Promise<{ origin: string; pid: number; stop: () => Promise<void> }> {
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('bin/rempart.js', ['start', '--port', String(port)], { env: { ...process.env, ...env, REMPART_PUBLIC_URL: origin }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i += 1) {
    const ready = await fetch(`${origin}/health`).then((r) => r.ok, () => false);
    if (ready) return { origin, pid: child.pid ?? 0, stop: async () => void (child.kill('SIGTERM'), await new Promise((resolve) => child.on('exit', resolve))) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('la plateforme ne répond pas sur /health');
}

/** 90 % of checks for people covered, 10 % for strangers (misses), interleaved. */
function workload(cards: readonly Card[]): Card[] {
  return cards.map((card, i) => (isMiss(i) ? strangerOf(card) : card));
}

/** A measure's two loops: the maximum rate, and the latencies at half of it. */
export interface MaxAndPaced {
  max: LoadFigures;
  paced: LoadFigures;
}

interface HttpFigures extends MaxAndPaced {
  /** Pharmacies calling, and their accounts (pharmacists) the load was spread over. */
  pharmacies: number;
  accounts: number;
}

/**
 * After a 3 s warm-up, the maximum rate of `send` (closed loop, `connections` callers) and,
 * unless `maxOnly`, its latencies at half the rate of successful answers (open loop); the
 * proofs for `path` signed ahead of each.
 */
export async function maxThenHalf(origin: string, connected: readonly Connected[], send: Send, path: string, options: { seconds: number; connections: number }, maxOnly = false): Promise<MaxAndPaced> {
  await closedLoop(send, options.connections, 3); // warm-up
  await presign(origin, connected, PROOFS_PER_SECOND * options.seconds, path);
  const max = await closedLoop(send, options.connections, options.seconds);
  // Half the rate of successful answers: refusals are no throughput to pace against.
  const rate = perSecond(max.tally, max.seconds) / 2;
  if (maxOnly || rate < 1) return { max, paced: newFigures(options.seconds) };
  await presign(origin, connected, Math.ceil(rate * options.seconds * 1.05), path);
  return { max, paced: await openLoop(send, rate, options.seconds) };
}

/** The maximum rate (closed loop) and, unless `maxOnly`, the latencies at half of it (open loop), on `careDate`. */
export async function measureHttp(
  env: NodeJS.ProcessEnv,
  cards: readonly Card[],
  options: Pick<RightsBenchOptions, 'seconds' | 'connections' | 'pharmacies'>,
  careDate: CalendarDate,
  maxOnly = false,
): Promise<HttpFigures> {
  const { clients } = await prepareCallers(env, options.pharmacies, [], careDate);
  const spread = { pharmacies: clients.length, accounts: clients.reduce((sum, client) => sum + client.rpps.length, 0) };
  const platform = await startPlatform(env);
  try {
    const connected = await connect(platform.origin, clients);
    await meetEveryAccount(platform.origin, connected, cards, careDate, options.connections);
    return { ...(await maxThenHalf(platform.origin, connected, rightsCheck(platform.origin, connected, cards, careDate), CHECK_PATH, options, maxOnly)), ...spread };
  } finally {
    await platform.stop();
  }
}

/** Successful answers per second, rounded. */
export const rps = (f: LoadFigures): number => Math.round(perSecond(f.tally, f.seconds));
const ms = (value: number): string => value.toFixed(1).replace('.', ',');
/** A percentile of successful answers' latencies, « — » when none succeeded. */
const pct = (latencies: readonly number[], p: number): string => (latencies.length === 0 ? '—' : ms(percentile(latencies, p)));

/**
 * This population's database on the server, named once per generation (a marker in its
 * folder): regenerated data never meets a store sealed under the keys of an older one,
 * whose database is dropped. `bench` names the bench the database is kept for
 * (rempart_bench_<bench>_<rows>_…): a bench that writes (prior agreements) never shares
 * its database with another.
 */
async function serverDatabase(dir: string, rows: number, bench: string): Promise<string> {
  const marker = join(dir, 'server-database.txt');
  const prefix = `rempart_bench_${bench}_${rows}`;
  const name = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : `${prefix}_${randomBytes(4).toString('hex')}`;
  const existing = (await adminQuery<{ datname: string }>(serverUrl, `SELECT datname FROM pg_database WHERE datname LIKE 'rempart_bench_${bench}_%'`)).map((row) => row.datname);
  for (const stale of existing.filter((other) => other !== name && (other === prefix || other.startsWith(`${prefix}_`)))) {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${stale} WITH (FORCE)`);
  }
  if (!existing.includes(name)) await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  writeFileSync(marker, name);
  return name;
}

/** A bench's population (bench/.cache/<bench>-<rows>) loaded once on the PostgreSQL server, kept between runs while it describes today. */
export async function serverPopulation(rows: number, bench: string): Promise<{ dir: string; url: string; env: NodeJS.ProcessEnv; provenance: string }> {
  const { dir, provenance } = await population(rows, bench);
  const url = withDatabase(serverUrl, await serverDatabase(dir, rows, bench));
  const env = await placeEnv(dir, url, join(dir, 'home-server'));
  await loadOnce(dir, env);
  return { dir, url, env, provenance };
}

/** The rights bench's population on the server, and its workload on `careDate`. */
export async function serverPlace(rows: number, careDate: CalendarDate): Promise<{ dir: string; url: string; env: NodeJS.ProcessEnv; cards: Card[]; provenance: string }> {
  const place = await serverPopulation(rows, 'rights');
  return { ...place, cards: workload(await sampleCards(place.dir, 20_000, careDate)) };
}

/** A measure's line of a bench's table: successful answers per second, p50, p99, failures. */
export const figuresRow = (name: string, f: LoadFigures): (string | number)[] => [name, rps(f), pct(f.latenciesMs, 50), pct(f.latenciesMs, 99), f.tally.failed];

export async function benchRights(options: RightsBenchOptions): Promise<void> {
  const careDate = today();
  const description = await machine();
  const { dir, url, env, cards, provenance } = await serverPlace(options.rows, careDate);
  const { probes } = await prepareCallers(env, 0, cards, careDate);
  await fillProbes(url, probes.map((probe, i) => ({ ...probe, covered: !isMiss(i) })));
  // Both ways on the same data, one after the other: the door's one statement, and the transaction it replaced.
  const pgbenchBefore = await runPgbench(url, dir, 'before', probes.length, 8, options.seconds, careDate);
  const pgbench = await runPgbench(url, dir, 'after', probes.length, 8, options.seconds, careDate);
  const server = await measureHttp({ ...env, ...shieldEnv(options.shield, dir) }, cards, options, careDate);

  const small = await population(options.pgliteRows);
  const pgliteEnv = await placeEnv(small.dir, undefined, join(small.dir, 'home-pglite'));
  await loadOnce(small.dir, pgliteEnv);
  const pglite = await measureHttp({ ...pgliteEnv, ...shieldEnv(options.shield, small.dir) }, workload(await sampleCards(small.dir, 5_000, careDate)), options, careDate);

  const names = {
    pgbenchBefore: `pgbench, avant la porte : recherche + trace d’accès, 4 allers-retours (8 connexions, ${options.rows} bénéficiaires)`,
    pgbench: 'pgbench, la porte : disclose_rights, une instruction, rôle de service (8 connexions)',
    serverMax: `IDB HTTP, serveur PostgreSQL, débit max (${options.connections} appelants)`,
    serverPaced: 'IDB HTTP, serveur PostgreSQL, à la moitié du débit max',
    pgliteMax: `IDB HTTP, PGlite embarqué, débit max (${options.pgliteRows} bénéficiaires)`,
    pglitePaced: 'IDB HTTP, PGlite embarqué, à la moitié du débit max',
  };
  const rows = [
    ['mesure', 'réponses réussies/s', 'p50 (ms)', 'p99 (ms)', 'échecs'],
    [names.pgbenchBefore, Math.round(pgbenchBefore.tps), '—', '—', pgbenchBefore.tally.failed],
    [names.pgbench, Math.round(pgbench.tps), '—', '—', pgbench.tally.failed],
    figuresRow(names.serverMax, server.max),
    figuresRow(names.serverPaced, server.paced),
    ['  dont vérifications d’inconnus (non couvert)', '—', pct(server.paced.missLatenciesMs, 50), pct(server.paced.missLatenciesMs, 99), '—'],
    figuresRow(names.pgliteMax, pglite.max),
    figuresRow(names.pglitePaced, pglite.paced),
  ];
  const measured: Measured[] = [
    { name: names.pgbench, tally: pgbench.tally },
    { name: names.pgbenchBefore, tally: pgbenchBefore.tally },
    { name: names.serverMax, tally: server.max.tally },
    { name: names.serverPaced, tally: server.paced.tally },
    { name: names.pgliteMax, tally: pglite.max.tally },
    { name: names.pglitePaced, tally: pglite.paced.tally },
  ];
  const p99 = percentile(server.paced.latenciesMs, 99);
  process.stdout.write(
    [
      '',
      '## Identification des droits (IDB)',
      '',
      `Machine : ${description}`,
      `Date des soins : ${careDate} (aujourd’hui) ; ${provenance} ; PGlite : ${small.provenance}`,
      `Bouclier : ${describeShield(options.shield)}, compteurs en mémoire`,
      `Comptes : ${server.pharmacies} pharmacies (un logiciel et une clé DPoP chacune), ${server.accounts} pharmaciens exerçant aujourd’hui, à tour de rôle ; ` +
        `PGlite : ${pglite.pharmacies} pharmacies, ${pglite.accounts} pharmaciens. 10 % des vérifications portent sur des inconnus.`,
      '',
      ...figuresBlock(rows, '200, couvert pour un assuré, non couvert pour un inconnu', measured),
      ...ratioVerdict('Rapport IDB HTTP / pgbench (la porte)', rps(server.max) / pgbench.tps, 0.5, [measured[2], measured[0]] as Measured[]),
      ...ratioVerdict('Rapport pgbench la porte / avant', pgbench.tps / pgbenchBefore.tps, 1, [measured[0], measured[1]] as Measured[]),
      ...verdictLines({ label: 'p99 du serveur à la moitié du débit max', value: `${ms(p99)} ms`, goal: '≤ 20 ms', met: p99 <= 20, from: [measured[3] as Measured] }),
      '',
    ].join('\n'),
  );
}
