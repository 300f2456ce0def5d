/**
 * The one door to PostgreSQL. Code above this layer never sees a driver: it asks for a
 * transaction in a scope, and the scope becomes the row-level-security tenant of that
 * transaction (`rempart.insurer_id`), so forgetting a WHERE clause cannot leak another
 * insurer's rows.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Tx extends Queryable {
  /**
   * Runs several parameterless statements in one round trip and returns each one's
   * result: a bulk merge keeps the server busy while this process prepares the next batch.
   */
  script(sql: string): Promise<QueryResult<Record<string, unknown>>[]>;
  /**
   * Bulk-loads rows given as PostgreSQL COPY text format (tab-separated, `\N` for null)
   * into a temporary staging table (`stage_…`) of this transaction. Tables under
   * row-level security are filled from staging with INSERT … SELECT, never by COPY.
   */
  copyFrom(table: string, columns: readonly string[], text: string): Promise<void>;
  /**
   * The rows of a query in PostgreSQL's binary COPY format (read with CopyBinaryReader),
   * for a reader of millions of rows. COPY takes no parameters: the query must be built
   * from values the caller checked (integers). Platform scope only: on PGlite the copy
   * goes through a virtual file, which needs the embedded superuser's file rights, and a
   * superuser sees every row of every table whatever the scope.
   */
  copyOut(query: string): Promise<Buffer>;
}

/** A transaction acts for one insurer (tenant rows visible) or for the platform (none). */
export type Scope = { readonly insurerId: number } | 'platform';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  readonly engine: Engine;
  transaction<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * One statement in the platform scope, on its own (autocommit): for the hot path's
   * single reads, one round trip instead of a transaction's three.
   */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * The same store as the role that serves requests (`rempart_serve`, migration 019): no
   * privilege on the identity tables, which it reaches only through the disclosure
   * functions, each appending its access record. Closed with this database.
   */
  serving(): Database;
  close(): Promise<void>;
}

/** The role that serves requests, and the one loaders, rotation and the sequencer keep. */
export const SERVING_ROLE = 'rempart_serve';
export const APPLICATION_ROLE = 'rempart_app';

/** SQL run first in every transaction: the tenant, transaction-local. */
export function scopeStatement(scope: Scope): { text: string; params: unknown[] } {
  const insurer = scope === 'platform' ? '' : String(scope.insurerId);
  return { text: "SELECT set_config('rempart.insurer_id', $1, true)", params: [insurer] };
}

/**
 * BEGIN and the tenant in one simple-protocol round trip. The insurer id is an integer
 * checked here, so writing it as a literal cannot inject anything.
 */
export function beginStatement(scope: Scope): string {
  if (scope !== 'platform' && !Number.isSafeInteger(scope.insurerId)) throw new Error(`organisme invalide : ${String(scope.insurerId)}`);
  const insurer = scope === 'platform' ? '' : String(scope.insurerId);
  return `BEGIN; SELECT set_config('rempart.insurer_id', '${insurer}', true)`;
}

/**
 * Moves a platform-scope transaction into one insurer's scope, for the rare writer that
 * must first create the insurer and then its rows, atomically (the catalogue loader).
 */
export async function enterInsurerScope(tx: Tx, insurerId: number): Promise<void> {
  const { text, params } = scopeStatement({ insurerId });
  await tx.query(text, params);
}

export function copyOutStatement(query: string, target: string): string {
  return `COPY (${query}) TO ${target} WITH (FORMAT binary)`;
}

export function copyStatement(table: string, columns: readonly string[], source: string): string {
  if (!/^stage_[a-z_]+$/.test(table)) throw new Error(`COPY réservé aux tables de transit stage_… (reçu ${table})`);
  return `COPY ${table} (${columns.join(', ')}) FROM ${source}`;
}
