import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../database.js';
import { openDatabase } from '../open.js';
import { templateSeed } from './pglite-template.js';

export interface TestDatabase {
  db: Database;
  /** Where the data lives: a PostgreSQL URL (server), else PGlite's folder (or undefined in memory). */
  url: string | undefined;
  dataDir: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in memory on PGlite by default, or a
 * database of its own on the server named by DATABASE_URL, dropped afterwards.
 */
export async function createTestDatabase(options: { onDisk?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = options.onDisk ? mkdtempSync(join(tmpdir(), 'rempart-pglite-')) : undefined;
    // PGlite loads a dump into memory only: a store on disk starts empty and is migrated.
    const db = await openDatabase({ dataDir, seed: dataDir === undefined ? templateSeed() : undefined });
    return { db, url: undefined, dataDir, drop: () => db.close() };
  }
  const name = `rempart_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const db = await openDatabase({ url, maxConnections: 4 });
  return {
    db,
    url,
    dataDir: undefined,
    drop: async () => {
      await db.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * The store a `rempart` process keeps for its home, opened by a test between two of its
 * runs: the server's test database when there is one, else the home's PGlite folder, open
 * only while `fn` runs (an embedded store has one process at a time).
 */
export async function withHomeStore<T>(home: string, server: TestDatabase | undefined, fn: (t: TestDatabase) => Promise<T>): Promise<T> {
  if (server) return fn(server);
  const dataDir = join(home, 'pglite');
  const db = await openDatabase({ dataDir });
  try {
    return await fn({ db, url: undefined, dataDir, drop: () => db.close() });
  } finally {
    await db.close();
  }
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
