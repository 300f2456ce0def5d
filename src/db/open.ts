import { join } from 'node:path';
import pg from 'pg';
import { APPLICATION_ROLE, SERVING_ROLE, type Database } from './database.js';
import { migrate, type AdminSession } from './migrate.js';
import { PgliteDatabase } from './pglite.js';
import { connectionConfig, PostgresDatabase } from './postgres.js';

export interface DatabaseConfig {
  /** A PostgreSQL server, as a role allowed to migrate (owner or superuser). */
  url?: string | undefined;
  /** The application role's URL; derived from `url` with user `rempart_app` if absent. */
  appUrl?: string | undefined;
  /** The serving role's URL; derived from `url` with user `rempart_serve` if absent. */
  servingUrl?: string | undefined;
  /** PGlite data folder when no server is configured; undefined = in memory. */
  dataDir?: string | undefined;
  /**
   * PGlite only: a migrated store's dump a new store starts from (the tests' template,
   * src/db/test-support/pglite-template.ts); the migrations still run, from where it stood.
   */
  seed?: Blob | undefined;
  maxConnections?: number;
}

/** DATABASE_URL selects a server; otherwise PGlite keeps its files under `home`/pglite. */
export function databaseConfigFromEnv(home: string, env = process.env): DatabaseConfig {
  return { url: env.DATABASE_URL, appUrl: env.DATABASE_APP_URL, servingUrl: env.DATABASE_SERVING_URL, dataDir: join(home, 'pglite') };
}

/** The same server and database, logged in as one of the platform's roles (no password: the server's own authentication). */
export function roleUrl(url: string, role: string = APPLICATION_ROLE): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = '';
  return parsed.toString();
}

/** Opens the store, brings its schema up to date, and hands back the application role. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url) {
    await migrateServer(config.url);
    return new PostgresDatabase(config.appUrl ?? roleUrl(config.url), config.maxConnections, config.servingUrl ?? roleUrl(config.url, SERVING_ROLE));
  }
  const db = await PgliteDatabase.open(config.dataDir, config.seed);
  try {
    await migrate({
      exec: async (sql) => void (await db.pg.exec(sql)),
      query: async <R>(sql: string, params?: unknown[]) => (await db.pg.query<R>(sql, params)).rows,
    });
    await db.becomeApplicationRole();
  } catch (error) {
    await db.close(); // and with it the folder's lock
    throw error;
  }
  return db;
}

async function migrateServer(url: string): Promise<void> {
  const client = new pg.Client(connectionConfig(url));
  await client.connect();
  try {
    const admin: AdminSession = {
      exec: async (sql) => void (await client.query(sql)),
      query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
    };
    await migrate(admin);
  } finally {
    await client.end();
  }
}
