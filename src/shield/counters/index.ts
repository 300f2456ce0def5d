import type { DistinctCounter } from './distinct-counter.js';
import { MemoryDistinctCounter } from './memory-distinct-counter.js';
import { RedisDistinctCounter } from './redis-distinct-counter.js';

export { bucketsFor, DAY_MS, HOUR_MS, MINUTE_MS, WINDOWS, type BucketPlan, type DistinctCounter } from './distinct-counter.js';
export { MemoryDistinctCounter, type MemoryDistinctCounterOptions } from './memory-distinct-counter.js';
export { RedisDistinctCounter } from './redis-distinct-counter.js';

/** Shared through Redis when REDIS_URL is set (several instances), in-process otherwise. */
export function distinctCounterFromEnv(env: NodeJS.ProcessEnv): DistinctCounter {
  return env.REDIS_URL ? RedisDistinctCounter.connect(env.REDIS_URL) : new MemoryDistinctCounter();
}
