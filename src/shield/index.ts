import type { Database } from '../db/database.js';
import { shieldConfigFromEnv, type ShieldConfig } from './config.js';
import { MemoryDistinctCounter } from './counters/index.js';
import { DbShieldSink } from './db-sink.js';
import { DbShieldStore } from './db-store.js';
import { DbActivitySource, DbBaselineSource, DbPlatformHistory } from './db-sources.js';
import { Shield } from './engine.js';
import { RedisShieldStore } from './redis-store.js';
import { MemoryShieldStore, type ShieldStore } from './store.js';

export { Shield, type Observation, type Subject, type Verdict } from './engine.js';
export { networkOf } from './network.js';
export { profileOf } from './profile.js';

/** Counter keys one instance keeps in memory: six per active account, ~15,000 accounts. */
const MEMORY_KEYS = 100_000;

/**
 * Shared through Redis when REDIS_URL is set (several instances; REMPART_SHIELD_NAMESPACE
 * prefixes the keys); otherwise counters in process, account states in the database.
 */
export function shieldStoreFromEnv(db: Database, env: NodeJS.ProcessEnv): ShieldStore {
  if (env.REDIS_URL) return RedisShieldStore.connect(env.REDIS_URL, env.REMPART_SHIELD_NAMESPACE);
  return new DbShieldStore(db, new MemoryShieldStore(new MemoryDistinctCounter({ maxKeys: MEMORY_KEYS, precision: 10 })));
}

/** The server's shield: decisions, alerts and suspensions in the database, baselines learned from the access log. */
export function createShield(db: Database, env: NodeJS.ProcessEnv, config: ShieldConfig = shieldConfigFromEnv(env)): Shield {
  return new Shield({
    config,
    store: shieldStoreFromEnv(db, env),
    baselines: new DbBaselineSource(db),
    platformHistory: new DbPlatformHistory(db),
    activity: new DbActivitySource(db),
    sink: new DbShieldSink(db),
  });
}
