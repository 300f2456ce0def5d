export { bucketsFor, MINUTE_MS, WINDOWS, type BucketPlan, type CounterAdd, type CounterRead, type Grain, type DistinctCounter } from './distinct-counter.js';
export { MemoryDistinctCounter, settled, type MemoryDistinctCounterOptions } from './memory-distinct-counter.js';
export { RedisDistinctCounter, type TotalAdd } from './redis-distinct-counter.js';
