import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate, type AdminSession } from './migrate.js';
import { PgliteDatabase } from './pglite.js';
import { connectionConfig } from './postgres.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

/** The migrator's own session on the test database: PGlite's superuser, or the server's admin URL. */
async function asAdmin<T>(t: TestDatabase, fn: (admin: AdminSession) => Promise<T>): Promise<T> {
  if (t.db instanceof PgliteDatabase) {
    const embedded = t.db.pg;
    await embedded.exec('RESET ROLE');
    try {
      return await fn({ exec: async (sql) => void (await embedded.exec(sql)), query: async <R>(sql: string, params?: unknown[]) => (await embedded.query<R>(sql, params)).rows });
    } finally {
      await embedded.exec('SET ROLE rempart_app');
    }
  }
  const client = new pg.Client(connectionConfig(t.url ?? ''));
  await client.connect();
  try {
    return await fn({ exec: async (sql) => void (await client.query(sql)), query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[] });
  } finally {
    await client.end();
  }
}

describe('migrations on a schema already current', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('apply nothing, and still refuse a migration whose text changed after it was applied', async () => {
    await asAdmin(t, async (admin) => {
      expect(await migrate(admin)).toEqual([]);
      const first = listMigrations()[0]?.version ?? '';
      await admin.query('UPDATE rempart_migration SET checksum = $1 WHERE version = $2', ['0'.repeat(64), first]);
      await expect(migrate(admin)).rejects.toThrow(`Migration ${first} modifiée après application`);
    });
  });
});
