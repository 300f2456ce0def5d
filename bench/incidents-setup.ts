import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AuditSigner } from '../src/audit/checkpoint-signer.js';
import { MerkleFrontier } from '../src/audit/merkle.js';
import { runSequencer } from '../src/audit/sequencer.js';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/open.js';
import { connectionConfig } from '../src/db/postgres.js';
import { withDatabase } from '../src/db/test-support/test-database.js';
import { generateAmcNumber, generateFiness, generateRpps } from '../src/domain/identifiers/index.js';
import { todayUtc } from '../src/domain/dates.js';
import { seededRng } from '../src/domain/random.js';
import { LocalMasterKey } from '../src/vault/index.js';
import {
  generateRecords,
  INSURERS,
  isoMicros,
  leafLines,
  logStartMs,
  monthOf,
  Population,
  PROFESSIONALS,
  RECORD_COPY_COLUMNS,
  recordLine,
  SITES,
  type GeneratedRecord,
} from './incidents-log.js';
import { adminQuery, serverUrl } from './support.js';

export const BENCH_DATABASE = 'rempart_bench_incidents';
/** Outside the repository: the key that signs the bench log's checkpoints, kept between runs. */
const KEY_FILE = join(homedir(), '.cache', 'rempart-bench-incidents', 'audit-key.pem');

export interface SetupOptions {
  records: number;
  beneficiaries: number;
  fresh: boolean;
  /** direct: leaves, nodes and checkpoints written by the bench with the sequencer's functions; sequencer: runSequencer over the records. */
  leaves: 'direct' | 'sequencer';
  batch: number;
  checkpointEvery: number;
  database: string;
}

export interface Generation {
  records: number;
  beneficiaries: number;
  leaves: 'direct' | 'sequencer';
  /** Seconds per phase. */
  phases: Record<string, number>;
  pharmacyAccounts: number;
  generatedAt: string;
  /** The log's first day, AAAA-MM-JJ: its LOG_DAYS days end the day before `generatedAt`. */
  logStart: string;
  diskBytes: number;
}

export interface BenchLog {
  url: string;
  db: Database;
  signer: AuditSigner;
  population: Population;
  generation: Generation;
  reused: boolean;
}

/** The vault's master key of the bench database, kept beside the audit key. */
export function benchMasterKey(): LocalMasterKey {
  const file = join(KEY_FILE, '..', 'master.key');
  if (!existsSync(file)) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, randomBytes(32), { mode: 0o600 });
  }
  return new LocalMasterKey(readFileSync(file));
}

export function benchSigner(): AuditSigner {
  if (!existsSync(KEY_FILE)) {
    mkdirSync(join(KEY_FILE, '..'), { recursive: true });
    writeFileSync(KEY_FILE, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return AuditSigner.fromPem(readFileSync(KEY_FILE));
}

const seconds = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;

async function timed<T>(phases: Record<string, number>, name: string, fn: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await fn();
  phases[name] = seconds(started);
  process.stderr.write(`  ${name} : ${phases[name].toFixed(1)} s\n`);
  return result;
}

async function admin(url: string): Promise<pg.Client> {
  const client = new pg.Client(connectionConfig(url));
  await client.connect();
  // The load's own sessions only: commits need not wait for the WAL flush (a crash loses the bench, not the figures' meaning).
  await client.query("SET synchronous_commit = off; SET maintenance_work_mem = '1GB'");
  return client;
}

async function copyText(client: pg.Client, sql: string, text: string): Promise<void> {
  if (text.length === 0) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
}

/** The bench database, migrated; its log of `records` records, generated unless already there. */
export async function benchLog(options: SetupOptions): Promise<BenchLog> {
  const url = withDatabase(serverUrl, options.database);
  const signer = benchSigner();
  const exists = (await adminQuery<{ n: number }>(serverUrl, `SELECT count(*)::int AS n FROM pg_database WHERE datname = '${options.database}'`))[0]?.n === 1;
  const generationFile = (): string => join('bench', 'results', `incidents-generation-${options.database}.json`);
  if (exists && !options.fresh) {
    const previous = existsSync(generationFile()) ? (JSON.parse(readFileSync(generationFile(), 'utf8')) as Generation) : undefined;
    const top = await adminQuery<{ size: string | null }>(url, 'SELECT max(tree_size)::text AS size FROM audit_checkpoint').catch(() => [{ size: null }]);
    // A log generated on another day keeps its own twelve months (the measures read windows of it, not of today's calendar).
    if (previous?.logStart && previous.records === options.records && previous.beneficiaries === options.beneficiaries && Number(top[0]?.size) === options.records) {
      process.stderr.write(`base ${options.database} réutilisée : ${options.records} enregistrements déjà là (générée le ${previous.generatedAt})\n`);
      const population = new Population(options.records, options.beneficiaries, Date.parse(`${previous.logStart}T00:00:00Z`));
      return { url, db: await openDatabase({ url, maxConnections: 4 }), signer, population, generation: previous, reused: true };
    }
    process.stderr.write(`base ${options.database} : autre taille, génération inachevée ou sans date de début, reconstruite\n`);
  }
  const generatedAt = new Date();
  const population = new Population(options.records, options.beneficiaries, logStartMs(todayUtc(generatedAt)));
  if (exists) await adminQuery(serverUrl, `DROP DATABASE ${options.database} WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE ${options.database}`);
  const phases: Record<string, number> = {};
  const db = await timed(phases, 'migrations', () => openDatabase({ url, maxConnections: 4 }));
  await timed(phases, 'registre (organismes, professionnels, sites)', () => writeRegistry(url, population));
  if (options.leaves === 'direct') {
    await writeLog(url, population, signer, options, phases);
  } else {
    await writeLog(url, population, undefined, options, phases);
    await timed(phases, 'séquenceur du projet (runSequencer)', () => sequence(db, signer, options.records));
  }
  await timed(phases, 'VACUUM ANALYZE', async () => {
    const client = await admin(url);
    try {
      await client.query('VACUUM ANALYZE access_record');
      await client.query('VACUUM ANALYZE access_leaf');
      await client.query('VACUUM ANALYZE access_node');
    } finally {
      await client.end();
    }
  });
  const size = await adminQuery<{ bytes: string }>(serverUrl, `SELECT pg_database_size('${options.database}')::text AS bytes`);
  const generation: Generation = {
    records: options.records,
    beneficiaries: options.beneficiaries,
    leaves: options.leaves,
    phases,
    pharmacyAccounts: population.pharmacyAccounts,
    generatedAt: generatedAt.toISOString(),
    logStart: todayUtc(new Date(population.startMs)),
    diskBytes: Number(size[0]?.bytes ?? 0),
  };
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(generationFile(), `${JSON.stringify(generation, null, 2)}\n`);
  return { url, db, signer, population, generation, reused: false };
}

/** Insurers (one product each), professionals with valid RPPS, sites with valid FINESS, their activities. */
async function writeRegistry(url: string, population: Population): Promise<void> {
  const rng = seededRng('bench-incidents');
  const client = await admin(url);
  try {
    await client.query('BEGIN');
    const amcs = new Set<string>();
    while (amcs.size < INSURERS) amcs.add(generateAmcNumber(rng));
    const kinds = ['mutuelle', 'assureur', 'institution_prevoyance'];
    let insurers = '';
    [...amcs].forEach((amc, i) => (insurers += `${i + 1}\t${amc}\tOrganisme synthétique ${String(i + 1).padStart(2, '0')}\t${kinds[i % 3]}\n`));
    await copyText(client, 'COPY insurer (id, amc_number, name, kind) FROM STDIN', insurers);
    await client.query(`SELECT setval(pg_get_serial_sequence('insurer', 'id'), ${INSURERS})`);
    await client.query(`INSERT INTO product (insurer_id, id, code, label, level, responsible)
                        SELECT id, 1, 'BENCH', 'Contrat responsable synthétique', 'N3', true FROM insurer`);
    const rpps = new Set<string>();
    while (rpps.size < PROFESSIONALS) rpps.add(generateRpps(rng));
    const rppsList = [...rpps];
    // Every account practises from the log's first day on.
    const since = todayUtc(new Date(population.startMs));
    let professionals = '';
    let activities = '';
    for (const account of population.accounts) {
      professionals += `${account.id}\t${rppsList[account.id - 1]}\t${account.professionCode}\tSYNTHETIQUE${account.id}\tBanc\n`;
      activities += `${account.id}\t${account.id}\t${account.siteId}\ttitulaire\t${since}\n`;
    }
    await copyText(client, 'COPY professional (id, rpps, profession_code, last_name, first_name) FROM STDIN', professionals);
    const finess = new Set<string>();
    while (finess.size < SITES) finess.add(generateFiness(rng));
    const kindOfSite = new Map(population.accounts.map((account) => [account.siteId, account.siteKind]));
    let sites = '';
    [...finess].forEach((number, i) => {
      const id = i + 1;
      sites += `${id}\t${number}\tSite synthétique ${id}\t${kindOfSite.get(id) ?? 'cabinet'}\t${number.slice(0, 2)}\n`;
    });
    await copyText(client, 'COPY site (id, finess, name, kind, department) FROM STDIN', sites);
    await copyText(client, 'COPY activity (id, professional_id, site_id, role, started_on) FROM STDIN', activities);
    for (const table of ['professional', 'site', 'activity']) await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

const monthName = (month: Date): string => `access_record_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

/**
 * The records, month by month, in sequencer order: each batch in its own transaction (its
 * xid, read first, is the one the column default gives its records), ids increasing.
 * A month's partition is created as audit_create_month does (LIKE, then ATTACH, then
 * sealed), but filled before it is attached, so that its indexes are built once, sorted,
 * by ATTACH, instead of row by row: the resulting schema is the migrations'. With a
 * signer, each batch's leaves and interior nodes go in the same transaction, and a signed
 * checkpoint every `checkpointEvery` leaves (watermark: the batch's xid + 1, which every
 * later batch's xid exceeds).
 */
async function writeLog(url: string, population: Population, signer: AuditSigner | undefined, options: SetupOptions, phases: Record<string, number>): Promise<void> {
  const clients = [await admin(url), await admin(url)];
  const control = await admin(url);
  const busy: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  const frontier = MerkleFrontier.empty();
  const bar = new SingleBar({ noTTYOutput: true, notTTYSchedule: 15_000, format: 'journal [{bar}] {percentage}% {value}/{total} enr. | {rate} enr./s | ETA {eta_formatted}', etaBuffer: 50 });
  bar.start(options.records, 0, { rate: 0 });
  const started = process.hrtime.bigint();
  let attachSeconds = 0;
  let slot = 0;
  let written = 0;
  let month: Date | undefined;
  let batch: GeneratedRecord[] = [];
  let flushes = 0;

  const flush = async (): Promise<void> => {
    if (batch.length === 0 || month === undefined) return;
    const records = batch;
    batch = [];
    const table = monthName(month);
    const client = clients[slot] as pg.Client;
    const index = slot;
    slot = 1 - slot;
    await busy[index];
    await client.query('BEGIN');
    const xid = BigInt((await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]?.xid ?? '0');
    const recordText = records.map(recordLine).join('');
    const leaves = signer ? leafLines(records, xid, frontier) : undefined;
    const last = records[records.length - 1] as GeneratedRecord;
    const checkpoint =
      signer && (frontier.size % options.checkpointEvery === 0 || frontier.size === options.records)
        ? (() => {
            const createdAtMicros = BigInt(last.atMicros) + 5_000_000n;
            const rootHash = frontier.root();
            return { size: frontier.size, rootHash, createdAtMicros, signature: signer.sign({ treeSize: frontier.size, rootHash, createdAtMicros }), frontier: frontier.pack() };
          })()
        : undefined;
    busy[index] = (async () => {
      await copyText(client, `COPY ${table} (${RECORD_COPY_COLUMNS.join(', ')}) FROM STDIN`, recordText);
      if (leaves) {
        await copyText(client, 'COPY access_leaf (leaf_index, record_at, record_id, leaf_hash) FROM STDIN', leaves.leaves);
        await copyText(client, 'COPY access_node (level, node_index, hash) FROM STDIN', leaves.nodes);
      }
      if (checkpoint && signer) {
        await client.query(
          `INSERT INTO audit_checkpoint (tree_size, root_hash, created_at, key_id, signature, watermark, frontier) VALUES ($1, $2, $3::timestamptz, $4, $5, $6::xid8, $7)`,
          [checkpoint.size, checkpoint.rootHash, isoMicros(Number(checkpoint.createdAtMicros)), signer.keyId, checkpoint.signature, (xid + 1n).toString(), checkpoint.frontier],
        );
      }
      await client.query('COMMIT');
    })();
    // A failure surfaces at the next await of this slot; keep it from being unhandled meanwhile.
    busy[index].catch(() => undefined);
    written += records.length;
    flushes++;
    bar.update(written, { rate: Math.round(written / seconds(started)) });
  };

  const finishMonth = async (): Promise<void> => {
    await flush();
    await Promise.all(busy);
    if (month === undefined) return;
    const attachStarted = process.hrtime.bigint();
    const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    await control.query(`ALTER TABLE access_record ATTACH PARTITION ${monthName(month)} FOR VALUES FROM ('${month.toISOString()}') TO ('${next.toISOString()}')`);
    await control.query(`SELECT audit_seal_partition('${monthName(month)}')`);
    attachSeconds += seconds(attachStarted);
  };

  try {
    for (const record of generateRecords(population)) {
      const recordMonth = monthOf(population.startMs, record.day);
      if (month === undefined || recordMonth.getTime() !== month.getTime()) {
        await finishMonth();
        month = recordMonth;
        // The migrations made this month's partition when the log reaches into the current
        // month (empty, in a fresh database): the bench's replaces it, filled, then attached.
        await control.query(
          `SET ROLE rempart_owner; DROP TABLE IF EXISTS ${monthName(month)}; CREATE TABLE ${monthName(month)} (LIKE access_record INCLUDING DEFAULTS INCLUDING CONSTRAINTS); RESET ROLE`,
        );
      }
      batch.push(record);
      const leavesSoFar = written + batch.length;
      if (batch.length >= options.batch || leavesSoFar % options.checkpointEvery === 0) await flush();
    }
    await finishMonth();
    await control.query(`SELECT setval('access_record_id_seq', ${options.records})`);
  } finally {
    bar.stop();
    for (const client of [...clients, control]) await client.end();
  }
  const total = seconds(started);
  phases[signer ? 'journal : enregistrements + feuilles + nœuds + points de contrôle (COPY)' : 'journal : enregistrements seuls (COPY)'] = total - attachSeconds;
  phases['index des partitions (ATTACH, index construits triés)'] = attachSeconds;
  process.stderr.write(`  journal : ${(total - attachSeconds).toFixed(1)} s en ${flushes} transactions, ATTACH : ${attachSeconds.toFixed(1)} s\n`);
}

/** The honest path: the project's sequencer, one pass per million leaves, until the backlog is gone. */
async function sequence(db: Database, signer: AuditSigner, records: number): Promise<void> {
  const bar = new SingleBar({ noTTYOutput: true, notTTYSchedule: 15_000, format: 'séquenceur [{bar}] {percentage}% {value}/{total} feuilles | ETA {eta_formatted}' });
  bar.start(records, 0);
  try {
    // A transaction open elsewhere on the shared server holds xmin back for a moment: an
    // idle pass waits a second and tries again.
    for (let idle = 0; idle < 120; ) {
      const pass = await runSequencer(db, signer, { wait: true, maxLeaves: 1_000_000 });
      bar.update(pass.treeSize);
      if (pass.treeSize >= records) break;
      if (pass.status === 'appended') continue;
      idle++;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    bar.stop();
  }
}
