import { describe, expect, it } from 'vitest';
import { MemoryDistinctCounter, MINUTE_MS } from './counters/index.js';
import { IN_FLIGHT_MS, MemoryShieldStore, type Hold } from './store.js';

describe('requests in flight, in one process', () => {
  const hold = (token: string, account = 1): Hold => ({ account, keys: [`p:${account}`, 's:9'], token });

  it('counts each key\'s requests until they leave, once each however often they leave', async () => {
    const store = new MemoryShieldStore(new MemoryDistinctCounter());
    const nowMs = Date.now();
    expect((await store.enter(hold('a'), nowMs)).inFlight).toEqual([1, 1]);
    expect((await store.enter(hold('b', 2), nowMs)).inFlight).toEqual([1, 2]);
    await store.leave(hold('a'));
    await store.leave(hold('a'));
    expect((await store.enter(hold('c'), nowMs)).inFlight).toEqual([1, 2]);
  });

  it('forgets a request that never left, once it lapsed', async () => {
    const store = new MemoryShieldStore(new MemoryDistinctCounter());
    const nowMs = Date.now();
    await store.enter(hold('stuck'), nowMs);
    expect((await store.enter(hold('next'), nowMs + IN_FLIGHT_MS - 1)).inFlight).toEqual([2, 2]);
    await store.leave(hold('next'));
    expect((await store.enter(hold('later'), nowMs + IN_FLIGHT_MS + MINUTE_MS)).inFlight).toEqual([1, 1]);
  });
});
