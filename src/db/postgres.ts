import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { copyStatement, scopeStatement, type Database, type QueryResult, type Scope, type Tx } from './database.js';
import { valueParsers } from './types.js';

const types = {
  getTypeParser: ((oid: number, format?: string): unknown =>
    valueParsers[oid] ?? (pg.types.getTypeParser(oid, format as 'text') as unknown)) as typeof pg.types.getTypeParser,
};

export function connectionConfig(url: string): pg.PoolConfig {
  return { connectionString: url, types };
}

function wrap(client: pg.PoolClient): Tx {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await client.query(text, [...params]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async script(sql: string): Promise<QueryResult<Record<string, unknown>>[]> {
      const results = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(results) ? results : [results]).map((result) => ({ rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 }));
    },
    async copyFrom(table, columns, text): Promise<void> {
      const sink = client.query(copyFromStdin(copyStatement(table, columns, 'STDIN')));
      await pipeline(Readable.from([text]), sink);
    },
  };
}

/** A PostgreSQL server through a pool of the application role's connections. */
export class PostgresDatabase implements Database {
  readonly engine = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(appUrl: string, maxConnections = 10) {
    this.pool = new pg.Pool({ ...connectionConfig(appUrl), max: maxConnections });
  }

  async transaction<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const { text, params } = scopeStatement(scope);
      await client.query(text, params);
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
