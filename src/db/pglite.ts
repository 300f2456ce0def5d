import { PGlite, type Transaction } from '@electric-sql/pglite';
import { APPLICATION_ROLE, copyOutStatement, copyStatement, scopeStatement, SERVING_ROLE, type Database, type QueryResult, type Scope, type Tx } from './database.js';
import { valueParsers } from './types.js';
import { lockStore, type StoreLock } from './store-lock.js';

function wrap(tx: Transaction, scope: Scope, role: string | undefined): Tx {
  // A copy goes through the embedded superuser: never from the serving view.
  const superuser = async (): Promise<void> => {
    if (role !== undefined) throw new Error(`COPY refusé au rôle ${role}`);
    await tx.query('RESET ROLE');
  };
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await tx.query<R>(text, [...params]);
      return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
    },
    async script(sql: string): Promise<QueryResult<Record<string, unknown>>[]> {
      // PGlite counts affected rows cumulatively across a script: each statement's own
      // count is the difference with the one before.
      let before = 0;
      return (await tx.exec(sql)).map((result) => {
        const total = result.affectedRows ?? before;
        const rowCount = result.rows.length > 0 ? result.rows.length : total - before;
        before = total;
        return { rows: result.rows, rowCount };
      });
    },
    async copyFrom(table, columns, text): Promise<void> {
      // PGlite reads COPY data from a virtual file, which needs server-file rights: the
      // copy into this transaction's own temporary staging table runs as the embedded
      // superuser, then the application role is restored (a failure rolls it back too).
      const statement = copyStatement(table, columns, "'/dev/blob'");
      await superuser();
      await tx.query(statement, [], { blob: new Blob([text]) });
      await tx.query(`SET ROLE ${APPLICATION_ROLE}`);
    },
    async copyOut(query): Promise<Buffer> {
      if (scope !== 'platform') throw new Error('COPY binaire réservé à la portée plateforme');
      await superuser();
      const result = await tx.query(copyOutStatement(query, "'/dev/blob'"));
      await tx.query(`SET ROLE ${APPLICATION_ROLE}`);
      return result.blob ? Buffer.from(await result.blob.arrayBuffer()) : Buffer.alloc(0);
    },
  };
}

/** Embedded PostgreSQL (WASM). One connection: transactions are serialised by PGlite. */
export class PgliteDatabase implements Database {
  readonly engine = 'pglite' as const;

  private constructor(
    readonly pg: PGlite,
    private readonly lock: StoreLock | undefined,
    /** Set: every transaction runs as this role (SET LOCAL ROLE), the serving view. */
    private readonly role?: string,
  ) {}

  /**
   * `dataDir` undefined means in memory (tests). A folder is held by one process at a time
   * (src/db/store-lock.ts): a second one is refused before PGlite reads a byte of it.
   * `seed`: a store's dump (`dumpDataDir`) a new one starts from instead of an empty cluster.
   */
  static async open(dataDir: string | undefined, seed?: Blob): Promise<PgliteDatabase> {
    const lock = dataDir === undefined ? undefined : lockStore(dataDir);
    try {
      return new PgliteDatabase(await PGlite.create(dataDir, { parsers: valueParsers, ...(seed ? { loadDataDir: seed } : {}) }), lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  async transaction<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (raw) => {
      const { text, params } = scopeStatement(scope);
      await raw.query(text, params);
      // The embedded session's user is PGlite's superuser, which may take any role: the
      // serving view takes its own for the transaction only.
      if (this.role) await raw.exec(`SET LOCAL ROLE ${this.role}`);
      return fn(wrap(raw, scope, this.role));
    });
  }

  /** One connection, two roles: the serving view sets its role in each transaction. */
  serving(): Database {
    return this.role === SERVING_ROLE ? this : new PgliteDatabase(this.pg, undefined, SERVING_ROLE);
  }

  /** PGlite has one connection: a statement outside a transaction could land inside another's scope. */
  async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.transaction('platform', (tx) => tx.query<R>(text, params));
  }

  /** Drops superuser rights for the rest of the connection's life (see migrate.ts). */
  async becomeApplicationRole(): Promise<void> {
    await this.pg.exec(`SET ROLE ${APPLICATION_ROLE}`);
  }

  async close(): Promise<void> {
    if (this.role) return; // a view: its store closes with the database it came from
    try {
      await this.pg.close();
    } finally {
      this.lock?.release();
    }
  }
}
