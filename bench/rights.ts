import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { withDatabase } from '../src/db/test-support/test-database.js';
import { closedLoop, connect, isMiss, openLoop, percentile, presign, type LoadFigures } from './http-load.js';
import { fillProbes, runPgbench } from './pgbench.js';
import { CARE_DATE, loadOnce, placeEnv, population, prepareCallers, sampleCards, strangerOf, type Card } from './rights-setup.js';
import { adminQuery, machine, serverUrl, table } from './support.js';

export interface RightsBenchOptions {
  rows: number;
  pgliteRows: number;
  seconds: number;
  connections: number;
}

const PORT = 18_080;
/** Proofs signed ahead per second of the maximum-rate window (more than the platform can take here). */
const PROOFS_PER_SECOND = 2_500;

/** The platform in its own process, as deployed: `rempart start` on the bench's environment. */
async function startPlatform(env: NodeJS.ProcessEnv): Promise<{ origin: string; stop: () => Promise<void> }> {
  const origin = `http://127.0.0.1:${PORT}`;
  const child: ChildProcess = spawn('bin/rempart.js', ['start', '--port', String(PORT)], { env: { ...process.env, ...env, REMPART_PUBLIC_URL: origin }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i += 1) {
    const ready = await fetch(`${origin}/health`).then((r) => r.ok, () => false);
    if (ready) return { origin, stop: async () => void (child.kill('SIGTERM'), await new Promise((resolve) => child.on('exit', resolve))) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('la plateforme ne répond pas sur /health');
}

/** 90 % of checks for people covered, 10 % for strangers (misses), interleaved. */
function workload(cards: readonly Card[]): Card[] {
  return cards.map((card, i) => (isMiss(i) ? strangerOf(card) : card));
}

interface HttpFigures {
  max: LoadFigures;
  paced: LoadFigures;
}

/** The maximum rate (closed loop) and, unless `maxOnly`, the latencies at half of it (open loop). */
export async function measureHttp(env: NodeJS.ProcessEnv, cards: readonly Card[], options: Pick<RightsBenchOptions, 'seconds' | 'connections'>, maxOnly = false): Promise<HttpFigures> {
  const { clients } = await prepareCallers(env, 16, []);
  const platform = await startPlatform(env);
  try {
    const connected = await connect(platform.origin, clients);
    await closedLoop(platform.origin, connected, cards, CARE_DATE, options.connections, 3); // warm-up
    await presign(platform.origin, connected, PROOFS_PER_SECOND * options.seconds);
    const max = await closedLoop(platform.origin, connected, cards, CARE_DATE, options.connections, options.seconds);
    if (maxOnly) return { max, paced: max };
    const rate = max.requests / max.seconds / 2;
    await presign(platform.origin, connected, Math.ceil(rate * options.seconds * 1.05));
    const paced = await openLoop(platform.origin, connected, cards, CARE_DATE, rate, options.seconds);
    return { max, paced };
  } finally {
    await platform.stop();
  }
}

export const rps = (f: LoadFigures): number => Math.round(f.requests / f.seconds);
const ms = (value: number): string => value.toFixed(1).replace('.', ',');

/** The bench's population loaded once on the PostgreSQL server (kept between runs), and its workload. */
export async function serverPlace(rows: number): Promise<{ dir: string; url: string; env: NodeJS.ProcessEnv; cards: Card[] }> {
  const dir = await population(rows);
  const name = `rempart_bench_rights_${rows}`;
  const exists = await adminQuery<{ n: number }>(serverUrl, `SELECT count(*)::int AS n FROM pg_database WHERE datname = '${name}'`);
  if (exists[0]?.n === 0) await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const env = await placeEnv(dir, url, join(dir, 'home-server'));
  await loadOnce(dir, env);
  return { dir, url, env, cards: workload(await sampleCards(dir, 20_000)) };
}

export async function benchRights(options: RightsBenchOptions): Promise<void> {
  const description = await machine();
  const { dir, url, env, cards } = await serverPlace(options.rows);
  const { probes } = await prepareCallers(env, 0, cards);
  await fillProbes(url, probes);
  const tps = await runPgbench(url, dir, probes.length, 8, options.seconds);
  const server = await measureHttp(env, cards, options);

  const smallDir = await population(options.pgliteRows);
  const pgliteEnv = await placeEnv(smallDir, undefined, join(smallDir, 'home-pglite'));
  await loadOnce(smallDir, pgliteEnv);
  const pglite = await measureHttp(pgliteEnv, workload(await sampleCards(smallDir, 5_000)), options);

  const rows = [
    ['mesure', 'requêtes/s', 'p50 (ms)', 'p99 (ms)', 'échecs'],
    [`pgbench, recherche + trace d’accès (8 connexions, ${options.rows} bénéficiaires)`, Math.round(tps), '—', '—', '—'],
    [`IDB HTTP, serveur PostgreSQL, débit max (${options.connections} appelants)`, rps(server.max), ms(percentile(server.max.latenciesMs, 50)), ms(percentile(server.max.latenciesMs, 99)), server.max.failures],
    ['IDB HTTP, serveur PostgreSQL, à la moitié du débit max', rps(server.paced), ms(percentile(server.paced.latenciesMs, 50)), ms(percentile(server.paced.latenciesMs, 99)), server.paced.failures],
    ['  dont vérifications d’inconnus (non couvert)', '—', ms(percentile(server.paced.missLatenciesMs, 50)), ms(percentile(server.paced.missLatenciesMs, 99)), '—'],
    [`IDB HTTP, PGlite embarqué, débit max (${options.pgliteRows} bénéficiaires)`, rps(pglite.max), ms(percentile(pglite.max.latenciesMs, 50)), ms(percentile(pglite.max.latenciesMs, 99)), pglite.max.failures],
    ['IDB HTTP, PGlite embarqué, à la moitié du débit max', rps(pglite.paced), ms(percentile(pglite.paced.latenciesMs, 50)), ms(percentile(pglite.paced.latenciesMs, 99)), pglite.paced.failures],
  ];
  process.stdout.write(`\n## Identification des droits (IDB)\n\nMachine : ${description}\n\n${table(rows)}\n\n`);
  const samples = [server.max, server.paced, pglite.max, pglite.paced].flatMap((f) => f.failureSamples);
  if (samples.length > 0) process.stdout.write(`Échecs observés :\n${samples.map((line) => `- ${line}`).join('\n')}\n\n`);
  process.stdout.write(`Rapport IDB HTTP / pgbench : ${(rps(server.max) / tps).toFixed(2)} (objectif ≥ 0,5). 10 % des vérifications portent sur des inconnus.\n`);
}
