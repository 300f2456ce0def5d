import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { withDatabase } from '../src/db/test-support/test-database.js';
import { describeFailures, type Measured } from './verdict.js';

export const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** What a figure was measured on, printed with every result. */
export async function machine(): Promise<string> {
  const server = await adminQuery<{ version: string; fsync: string; max_wal_size: string }>(
    serverUrl,
    `SELECT split_part(version(), ' ', 2) AS version, current_setting('fsync') AS fsync, current_setting('max_wal_size') AS max_wal_size`,
  );
  const row = server[0];
  return (
    `${cpus().length} cœurs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} Gio, Node ${process.version}, ` +
    `PostgreSQL ${row?.version} (fsync=${row?.fsync}, max_wal_size=${row?.max_wal_size}) sur 127.0.0.1`
  );
}

export async function adminQuery<R>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

/** A throw-away database on the server for one benchmark. */
export async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `rempart_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  return { url: withDatabase(serverUrl, name), drop: async () => void (await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

export interface CliRun {
  code: number | null;
  seconds: number;
  stdout: string;
  /** The process's peak resident memory (VmHWM), as last read before it ended: sampled every 10 ms. */
  peakRssBytes: number;
}

/** A process's peak resident memory so far (Linux, /proc); 0 once it has ended. */
export function peakRssBytes(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Runs the built `rempart` command (bin/rempart.js, with the heap cap of its first line)
 * in its own process, so that its memory is measured alone.
 */
export function rempart(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const started = process.hrtime.bigint();
  const child = spawn('bin/rempart.js', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let peak = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const sampler = setInterval(() => (peak = Math.max(peak, peakRssBytes(child.pid ?? 0))), 10);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearInterval(sampler);
      resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout, peakRssBytes: peak });
    });
  });
}

export function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => String(row[i]).length))) ?? [];
  const line = (row: readonly (string | number)[]): string => `| ${row.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** A bench's table, what its rates count (« 200, couvert… »), then each measure's failures by reason. */
export function figuresBlock(rows: readonly (readonly (string | number)[])[], counted: string, measured: readonly Measured[]): string[] {
  return [
    table(rows),
    '',
    `Seules les réponses réussies comptent dans un débit (${counted}).`,
    ...measured.filter((m) => m.tally.failed > 0).map((m) => `Échecs, ${m.name} : ${describeFailures(m.tally)}`),
    '',
  ];
}
