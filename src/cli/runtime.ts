import { AccessSealer, installAccessSealer } from '../audit/index.js';
import type { Database } from '../db/database.js';
import { databaseConfigFromEnv, openDatabase } from '../db/open.js';
import { accessSealKeyFromEnv, masterKeyFromEnv, Vault, type MasterKey } from '../vault/index.js';

/** What a CLI command works with, opened from the environment (see README, Configuration). */
export interface Runtime {
  db: Database;
  masterKey: MasterKey;
  vault: Vault;
}

/** Where local state lives (development master key, PGlite data by default). */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.REMPART_HOME ?? 'data';
}

export async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  // The key first: a misconfigured key fails before anything is opened.
  const masterKey = masterKeyFromEnv(process.env, dataHome(process.env));
  const db = await openStore();
  try {
    return await fn({ db, masterKey, vault: new Vault(masterKey) });
  } finally {
    await db.close();
  }
}

/** The store alone, from the environment: for commands that read no sealed field (the access log, incidents). */
export async function withStore<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openStore();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * The store, with the access log's seal key installed for whatever the command writes to
 * the log (an incident rehearsal, a member export): read on first use only, so that a
 * command that writes no record never needs it.
 */
function openStore(): Promise<Database> {
  installAccessSealer(() => new AccessSealer(accessSealKeyFromEnv(process.env, dataHome(process.env))));
  return openDatabase(databaseConfigFromEnv(dataHome(process.env)));
}
