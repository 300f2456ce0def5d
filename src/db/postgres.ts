import { createHash } from 'node:crypto';
import pg from 'pg';
import { from as copyFromStdin, to as copyToStdout } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { beginStatement, copyOutStatement, copyStatement, type Database, type QueryResult, type Scope, type Tx } from './database.js';
import { valueParsers } from './types.js';

const types = {
  getTypeParser: ((oid: number, format?: string): unknown =>
    valueParsers[oid] ?? (pg.types.getTypeParser(oid, format as 'text') as unknown)) as typeof pg.types.getTypeParser,
};

export function connectionConfig(url: string): pg.PoolConfig {
  return { connectionString: url, types };
}

/** Statements longer than this are not kept prepared (the loader's one-off merges). */
const PREPARED_MAX_LENGTH = 4096;

/**
 * A parameterised statement runs as a named prepared statement, parsed and planned once
 * per connection, as pgbench's `-M prepared` does: the hot path's lookups would otherwise
 * be planned again at every call. The name is a digest of the text, so it is stable.
 */
function statement(text: string, params: readonly unknown[]): pg.QueryConfig {
  if (params.length === 0 || text.length > PREPARED_MAX_LENGTH) return { text, values: [...params] };
  return { name: `r${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text, values: [...params] };
}

async function run<R>(runner: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[]): Promise<QueryResult<R>> {
  const result = await runner.query(statement(text, params));
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}

function wrap(client: pg.PoolClient): Tx {
  return {
    query: <R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> => run<R>(client, text, params),
    async script(sql: string): Promise<QueryResult<Record<string, unknown>>[]> {
      const results = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(results) ? results : [results]).map((result) => ({ rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 }));
    },
    async copyFrom(table, columns, text): Promise<void> {
      const sink = client.query(copyFromStdin(copyStatement(table, columns, 'STDIN')));
      await pipeline(Readable.from([text]), sink);
    },
    async copyOut(query): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of client.query(copyToStdout(copyOutStatement(query, 'STDOUT')))) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

/** A PostgreSQL server through a pool of the application role's connections. */
export class PostgresDatabase implements Database {
  readonly engine = 'postgres' as const;
  private readonly pool: pg.Pool;
  private view: PostgresDatabase | undefined;

  /** `servingUrl`: the serving role's login, for `serving()`; absent, this is the serving view. */
  constructor(
    appUrl: string,
    private readonly maxConnections = 10,
    private readonly servingUrl?: string,
  ) {
    this.pool = new pg.Pool({ ...connectionConfig(appUrl), max: maxConnections });
    // An idle connection the server closes (restart, failover) is dropped from the pool;
    // without a listener its error would be uncaught and stop the process.
    this.pool.on('error', () => undefined);
  }

  /** A pool of its own, logged in as the serving role: it cannot take another role. */
  serving(): Database {
    if (this.servingUrl === undefined) return this;
    this.view ??= new PostgresDatabase(this.servingUrl, this.maxConnections);
    return this.view;
  }

  async transaction<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(beginStatement(scope));
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

  /** Outside a transaction no tenant is set: the platform scope. */
  query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return run<R>(this.pool, text, params);
  }

  async close(): Promise<void> {
    await this.view?.close();
    await this.pool.end();
  }
}
