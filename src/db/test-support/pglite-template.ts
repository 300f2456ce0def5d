import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../open.js';
import { PgliteDatabase } from '../pglite.js';

/** Where the run's migrated template lies, for the test processes vitest starts after the global setup. */
const SEED_FILE = 'REMPART_TEST_PGLITE_SEED';

/**
 * Vitest's global setup: on the embedded default, one store migrated once for the whole run,
 * dumped to a file each test database starts from. A new PGlite store costs an initdb and
 * forty-odd migrations, three seconds of a busy core, and a hundred test files open one;
 * loading the dump takes under one. The migrations still run from scratch here (a failing
 * one fails the run), for each test database on the server, and in every `rempart` home
 * the tests start.
 */
export default async function setup(): Promise<() => void> {
  // Vitest runs the global setup of the root and of each project: the first one makes it.
  if (process.env.DATABASE_URL || process.env[SEED_FILE]) return () => undefined;
  const db = await openDatabase({});
  if (!(db instanceof PgliteDatabase)) throw new Error('modèle PGlite attendu');
  const dump = await db.pg.dumpDataDir('none');
  await db.close();
  const dir = mkdtempSync(join(tmpdir(), 'rempart-seed-'));
  const file = join(dir, 'migrated.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[SEED_FILE] = file;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env[SEED_FILE];
  };
}

/** The run's template, when the global setup made one (not in a benchmark, nor on a server). */
export function templateSeed(): Blob | undefined {
  const file = process.env[SEED_FILE];
  return file ? new Blob([readFileSync(file)]) : undefined;
}
