import { createReadStream, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { cachedDataset, fileStillValid } from './dataset-cache.js';
import { machine, rempart, scratchDatabase, table } from './support.js';
import { describeFailures, perSecond, ratioVerdict, Tally, type Measured } from './verdict.js';

interface LoadFigures {
  /** Lines loaded (applied or unchanged) as successes, rejected lines by their error code: only loaded lines count toward a rate. */
  tally: Tally;
  seconds: number;
  maxRssBytes: number;
}

/** A one-insurer data set of `rows` beneficiaries, kept in bench/.cache; loaded into a fresh database each time, so a file of any past day will do. */
async function dataset(rows: number): Promise<{ catalogue: string; members: string; provenance: string }> {
  const { dir, manifest, provenance } = await cachedDataset(`load-${rows}`, { seed: 'bench-load', insurers: 1, beneficiaries: rows, professionals: 10, format: 'csv' }, fileStillValid);
  const path = (kind: string): string => join(dir, manifest.files.find((file) => file.kind === kind)?.path ?? '');
  return { catalogue: path('catalogue'), members: path('beneficiaires'), provenance };
}

/** Rejected lines by the code of their first fault in the reject report (docs/formats.md: one row per fault, `ligne` and `code` columns). */
async function rejectCodes(path: string): Promise<Tally> {
  const tally = new Tally('lignes');
  if (!path || !existsSync(path)) return tally;
  let previous = '';
  for await (const record of createReadStream(path).pipe(parse({ delimiter: ';', columns: true }))) {
    const { ligne, code } = record as { ligne?: string; code?: string };
    if (ligne !== previous) tally.failure(code ?? 'REJET');
    previous = ligne ?? '';
  }
  return tally;
}

interface MembersSummary {
  applied: number;
  unchanged: number;
  rejected: number;
  seconds: number;
  maxRssBytes: number;
  rejectsPath: string;
}

/** The members load's summary as figures: loaded lines succeed, rejected ones fail by their code. */
async function figuresOf(summary: MembersSummary): Promise<LoadFigures> {
  const codes = summary.rejected > 0 ? await rejectCodes(summary.rejectsPath) : new Tally('lignes');
  const tally = codes.failed === summary.rejected ? codes : new Tally('lignes');
  if (tally !== codes) tally.failure('lignes rejetées', summary.rejected);
  tally.successes = summary.applied + summary.unchanged;
  return { tally, seconds: summary.seconds, maxRssBytes: summary.maxRssBytes };
}

/** Loads catalogue then members through the real CLI; returns the members load's own figures. */
async function loadWithCli(files: { catalogue: string; members: string }, databaseUrl: string | undefined): Promise<LoadFigures> {
  const env: NodeJS.ProcessEnv = { REMPART_HOME: mkdtempSync(join(tmpdir(), 'rempart-bench-')), REMPART_MASTER_KEY: randomBytes(32).toString('base64') };
  env.DATABASE_URL = databaseUrl ?? '';
  for (const file of [files.catalogue, files.members]) {
    const run = await rempart(['load', '--json', file], env);
    if (run.code !== 0) throw new Error(`chargement de ${file} en échec : ${run.stdout}`);
    if (file === files.members) {
      const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as MembersSummary & { status: string };
      if (summary.status !== 'applied') throw new Error(`chargement non appliqué : ${run.stdout}`);
      return figuresOf(summary);
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
    // COPY is all or nothing: had a line failed, nothing would be there to count.
    const tally = new Tally('lignes');
    tally.successes = lines;
    return { tally, seconds: Number(process.hrtime.bigint() - started) / 1e9, maxRssBytes: 0 };
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
  const results: (readonly (string | number)[])[] = [['mesure', 'lignes chargées', 'lignes rejetées', 'secondes', 'lignes chargées/s', 'RSS max (Mo)']];
  const measured: Measured[] = [];
  const row = (name: string, figures: LoadFigures): void => {
    measured.push({ name, tally: figures.tally });
    results.push([
      name,
      figures.tally.successes,
      figures.tally.failed,
      figures.seconds.toFixed(1),
      Math.round(perSecond(figures.tally, figures.seconds)),
      figures.maxRssBytes ? Math.round(figures.maxRssBytes / 2 ** 20) : '—',
    ]);
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
  const ratio = perSecond(ours.tally, ours.seconds) / perSecond(raw.tally, raw.seconds);
  const minutes33m = 33_000_000 / perSecond(ours.tally, ours.seconds) / 60;
  process.stdout.write(`\n## Chargement des bénéficiaires\n\nMachine : ${description}\nFichier de ${options.rows} lignes : ${big.provenance}\nBouclier : sans objet (un chargement ne divulgue rien)\n\n${table(results)}\n\n`);
  for (const m of measured.filter((one) => one.tally.failed > 0)) process.stdout.write(`Rejets, ${m.name} : ${describeFailures(m.tally)}\n`);
  const verdict = ratioVerdict('Rapport au COPY brut', ratio, 0.5, measured.slice(0, 2));
  process.stdout.write(`${verdict.join('\n')}\n`);
  if (verdict.length === 1) process.stdout.write(`Extrapolation à 33 M de bénéficiaires : ${minutes33m.toFixed(0)} min.\n`);
}
