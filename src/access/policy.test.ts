import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../http/server.js';
import { registerClient } from './clients.js';
import { policy, type RoutePolicy } from './policy.js';
import { testAccess } from './test-support/access.js';
import { keyPair, seedDirectory, TestClient, type Directory } from './test-support/client.js';

type Identity = 'anonyme' | 'client' | 'client suspendu';

/** Whether the outcome is the policy's: allowed callers get past authorization, the others get 401/403. */
function allowed(rule: RoutePolicy, identity: Identity): boolean {
  if (rule === 'public') return true;
  return identity === 'client' && rule.includes('client');
}

describe('the declared access policy, route by route and role by role', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let active: TestClient;
  let suspended: TestClient;
  const clock = { now: new Date() };

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    app = await buildServer({ access: await testAccess(t.db, clock) });
    const keys = await Promise.all([keyPair(), keyPair(), keyPair(), keyPair()]);
    await registerClient(t.db, { clientId: 'lgo-actif', siteId: directory.siteA, name: 'actif', jwks: { keys: [keys[0].jwk] } });
    await registerClient(t.db, { clientId: 'lgo-suspendu', siteId: directory.siteA, name: 'suspendu', jwks: { keys: [keys[2].jwk] } });
    active = new TestClient(app, clock, 'lgo-actif', keys[0], keys[1]);
    suspended = new TestClient(app, clock, 'lgo-suspendu', keys[2], keys[3]);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lists exactly the routes the server has', () => {
    for (const key of Object.keys(policy)) {
      const [method = '', url = ''] = key.split(' ');
      expect(app.hasRoute({ method, url }), key).toBe(true);
    }
  });

  it('refuses to start with a route missing from the policy', async () => {
    const app2 = await buildServer({ access: await testAccess(t.db) });
    expect(() => app2.get('/api/v1/oubliee', () => 'x')).toThrow(/sans politique/);
    await app2.close();
  });

  it('gives every route × identity the declared outcome', async () => {
    const suspendedToken = await suspended.token();
    await t.db.transaction('platform', (tx) => tx.query("UPDATE client SET status = 'suspended' WHERE client_id = 'lgo-suspendu'"));
    const outcomes: string[] = [];
    for (const [key, rule] of Object.entries(policy)) {
      const [method = '', url = ''] = key.split(' ');
      for (const identity of ['anonyme', 'client', 'client suspendu'] as const) {
        const headers =
          identity === 'anonyme'
            ? {}
            : identity === 'client'
              ? await active.headers(method, url, await active.token(), directory.active)
              : await suspended.headers(method, url, suspendedToken, directory.active);
        const status = (await app.inject({ method: method as 'GET', url, headers })).statusCode;
        const refused = status === 401 || status === 403;
        if (refused === allowed(rule, identity)) outcomes.push(`${key} × ${identity} → ${status}`);
      }
    }
    expect(outcomes).toEqual([]);
  });
});
