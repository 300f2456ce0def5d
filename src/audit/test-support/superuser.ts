import pg from 'pg';
import { PgliteDatabase } from '../../db/pglite.js';
import { connectionConfig } from '../../db/postgres.js';
import type { TestDatabase } from '../../db/test-support/test-database.js';

export interface Superuser {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

/**
 * One transaction as the database superuser: the attacker A9, who can write to the
 * database directly. On the server, the test database's admin URL; on PGlite, the
 * embedded superuser the application role was set from (restored after the transaction).
 */
export async function asSuperuser<T>(t: TestDatabase, fn: (su: Superuser) => Promise<T>): Promise<T> {
  if (t.db instanceof PgliteDatabase) {
    return t.db.pg.transaction(async (tx) => {
      await tx.query('RESET ROLE');
      const result = await fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows });
      await tx.query('SET ROLE rempart_app');
      return result;
    });
  }
  if (!t.url) throw new Error('base de test sans URL');
  const client = new pg.Client(connectionConfig(t.url));
  await client.connect();
  try {
    await client.query('BEGIN');
    const result = await fn({ query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[] });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

/** The same, with every ordinary trigger off for the transaction, as an attacker would. */
export function asAttacker<T>(t: TestDatabase, fn: (su: Superuser) => Promise<T>): Promise<T> {
  return asSuperuser(t, async (su) => {
    await su.query('SET LOCAL session_replication_role = replica');
    return fn(su);
  });
}

/** The same, as the tables' owner (rempart_owner): what a migration or a stolen owner login could do. */
export function asOwner<T>(t: TestDatabase, fn: (owner: Superuser) => Promise<T>): Promise<T> {
  return asSuperuser(t, async (su) => {
    await su.query('SET LOCAL ROLE rempart_owner');
    return fn(su);
  });
}
