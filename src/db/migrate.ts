import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What the migrator needs: run a script, read a row. Both engines provide it as superuser. */
export interface AdminSession {
  exec(sql: string): Promise<void>;
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(`${dir}${name}`, 'utf8');
      return { version: name.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory
 * lock so that several instances starting together do not race. Objects are created as
 * `rempart_owner`; the application role owns nothing (THREATS.md point 7). A migration
 * already applied whose text changed is refused: history is not rewritten silently.
 * `migrations`: all of them; a test that needs the schema as it was passes the first ones.
 */
export async function migrate(admin: AdminSession, migrations: readonly Migration[] = listMigrations()): Promise<string[]> {
  if (await upToDate(admin, migrations)) return [];
  await admin.exec(`
    SELECT pg_advisory_lock(7245001);
    CREATE TABLE IF NOT EXISTS rempart_migration (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());`);
  try {
    const applied = await appliedChecksums(admin);
    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum === migration.checksum) continue;
      if (checksum !== undefined) throw new Error(`Migration ${migration.version} modifiée après application`);
      await applyOne(admin, migration);
      done.push(migration.version);
    }
    return done;
  } finally {
    await admin.exec('SELECT pg_advisory_unlock(7245001)');
  }
}

/**
 * The usual case, every command on a current schema: each migration applied with the same
 * text. Read without the advisory lock (nothing is written, and applied migrations stay
 * applied), so that a CLI command does not pay for the lock and the ledger's DDL.
 */
async function upToDate(admin: AdminSession, migrations: readonly Migration[]): Promise<boolean> {
  const [ledger] = await admin.query<{ present: boolean }>(`SELECT to_regclass('rempart_migration') IS NOT NULL AS present`);
  if (!ledger?.present) return false;
  const applied = await appliedChecksums(admin);
  return migrations.every((migration) => applied.get(migration.version) === migration.checksum);
}

async function appliedChecksums(admin: AdminSession): Promise<Map<string, string>> {
  const rows = await admin.query<{ version: string; checksum: string }>('SELECT version, checksum FROM rempart_migration');
  return new Map(rows.map((row) => [row.version, row.checksum]));
}

async function applyOne(admin: AdminSession, migration: Migration): Promise<void> {
  await admin.exec('BEGIN');
  try {
    await admin.exec(migration.sql);
    await admin.exec('RESET ROLE');
    await admin.query('INSERT INTO rempart_migration (version, checksum) VALUES ($1, $2)', [
      migration.version,
      migration.checksum,
    ]);
    await admin.exec('COMMIT');
  } catch (error) {
    await admin.exec('ROLLBACK');
    throw error;
  }
}
