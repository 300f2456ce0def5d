import { createReadStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generateDataset, MANIFEST_FILE, type Manifest } from '../src/synthetic/dataset.js';
import { machine, rempart, scratchDatabase, table } from './support.js';

interface LoadFigures {
  lines: number;
  seconds: number;
  maxRssBytes: number;
}

/** A one-insurer data set of `rows` beneficiaries, generated once and kept in bench/.cache. */
async function dataset(rows: number): Promise<{ catalogue: string; members: string }> {
  const dir = join('bench', '.cache', `load-${rows}`);
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    process.stderr.write(`génération de ${rows} bénéficiaires dans ${dir}…\n`);
    await generateDataset({ seed: 'bench-load', insurers: 1, beneficiaries: rows, professionals: 10, format: 'csv', date: '2026-11-22', outDir: dir });
  }
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const path = (kind: string): string => join(dir, manifest.files.find((file) => file.kind === kind)?.path ?? '');
  return { catalogue: path('catalogue'), members: path('beneficiaires') };
}

/** Loads catalogue then members through the real CLI; returns the members load's own figures. */
async function loadWithCli(files: { catalogue: string; members: string }, databaseUrl: string | undefined): Promise<LoadFigures> {
  const env: NodeJS.ProcessEnv = { REMPART_HOME: mkdtempSync(join(tmpdir(), 'rempart-bench-')), REMPART_MASTER_KEY: randomBytes(32).toString('base64') };
  env.DATABASE_URL = databaseUrl ?? '';
  for (const file of [files.catalogue, files.members]) {
    const run = await rempart(['load', '--json', file], env);
    if (run.code !== 0) throw new Error(`chargement de ${file} en échec : ${run.stdout}`);
    if (file === files.members) {
      const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as LoadFigures & { status: string };
      if (summary.status !== 'applied') throw new Error(`chargement non appliqué : ${run.stdout}`);
      return summary;
    }
  }
  throw new Error('unreachable');
}

/**
 * The yardstick: the same data lines COPYed by PostgreSQL itself into a table of plain
 * columns with the same indexes as `beneficiary` (primary key, unique person key,
 * contract index), no validation, no encryption, no merge.
 */
async function rawCopy(members: string, databaseUrl: string): Promise<LoadFigures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE raw_beneficiary (
      insurer_id integer NOT NULL DEFAULT 1, id bigint GENERATED ALWAYS AS IDENTITY,
      adherent text, produit text, convention text, debut_contrat date, fin_contrat date, nir text, date_naissance text,
      rang smallint, qualite smallint, nom text, prenom text, droits text,
      PRIMARY KEY (insurer_id, id), UNIQUE (insurer_id, nir, date_naissance, rang))`);
    await client.query('CREATE INDEX raw_contract ON raw_beneficiary (insurer_id, adherent)');
    const header = await firstLines(members, 2);
    const columns = header[1] ?? '';
    const started = process.hrtime.bigint();
    const sink = client.query(copyFrom(`COPY raw_beneficiary (${columns.split(';').join(', ')}) FROM STDIN WITH (FORMAT csv, DELIMITER ';')`));
    let lines = 0;
    const data = Readable.from(
      (async function* (): AsyncGenerator<string> {
        for await (const line of createInterface({ input: createReadStream(members, { highWaterMark: 1 << 20 }) })) {
          if (line.startsWith('#') || line === columns) continue;
          lines += 1;
          yield `${line}\n`;
        }
      })(),
    );
    await pipeline(data, sink);
    return { lines, seconds: Number(process.hrtime.bigint() - started) / 1e9, maxRssBytes: 0 };
  } finally {
    await client.end();
  }
}

async function firstLines(path: string, count: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path) })) {
    lines.push(line);
    if (lines.length === count) break;
  }
  return lines;
}

export async function benchLoad(options: { rows: number; smallRows: number; pgliteRows: number }): Promise<void> {
  const description = await machine();
  const results: (readonly (string | number)[])[] = [['mesure', 'lignes', 'secondes', 'lignes/s', 'RSS max (Mo)']];
  const row = (name: string, figures: LoadFigures): void => {
    results.push([name, figures.lines, figures.seconds.toFixed(1), Math.round(figures.lines / figures.seconds), figures.maxRssBytes ? Math.round(figures.maxRssBytes / 2 ** 20) : '—']);
  };
  const big = await dataset(options.rows);
  const server = await scratchDatabase();
  let ours: LoadFigures;
  let raw: LoadFigures;
  try {
    ours = await loadWithCli(big, server.url);
    row('rempart load, serveur PostgreSQL', ours);
    raw = await rawCopy(big.members, server.url);
    row('COPY brut des mêmes lignes, mêmes index', raw);
  } finally {
    await server.drop();
  }
  const small = await dataset(options.smallRows);
  const smallServer = await scratchDatabase();
  try {
    row('rempart load, serveur, petit fichier (mémoire)', await loadWithCli(small, smallServer.url));
  } finally {
    await smallServer.drop();
  }
  row('rempart load, PGlite embarqué', await loadWithCli(await dataset(options.pgliteRows), undefined));
  const ratio = ours.lines / ours.seconds / (raw.lines / raw.seconds);
  const minutes33m = 33_000_000 / (ours.lines / ours.seconds) / 60;
  process.stdout.write(`\n## Chargement des bénéficiaires\n\nMachine : ${description}\n\n${table(results)}\n\n`);
  process.stdout.write(`Rapport au COPY brut : ${ratio.toFixed(2)} (objectif ≥ 0,5). Extrapolation à 33 M de bénéficiaires : ${minutes33m.toFixed(0)} min.\n`);
}
