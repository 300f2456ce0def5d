import type { Database } from '../db/database.js';
import { databaseConfigFromEnv, openDatabase } from '../db/open.js';

/** What a CLI command works with, opened from the environment (see README, Configuration). */
export interface Runtime {
  db: Database;
}

export async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseConfigFromEnv());
  try {
    return await fn({ db });
  } finally {
    await db.close();
  }
}
