import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../http/server.js';
import { registerClient } from './clients.js';
import { policy, type RoutePolicy } from './policy.js';
import { devPeople } from './people/dev-people.js';
import { openSession, revokeSession, SESSION_COOKIE } from './people/sessions.js';
import { TEST_ORIGIN, testAccess } from './test-support/access.js';
import { keyPair, professionalIdOf, seedDirectory, TestClient, type Directory } from './test-support/client.js';

type Identity = 'anonyme' | 'client' | 'client suspendu' | 'professionnel connecté' | 'titulaire connecté' | 'session révoquée';

const identities: readonly Identity[] = ['anonyme', 'client', 'client suspendu', 'professionnel connecté', 'titulaire connecté', 'session révoquée'];

/** Whether the policy lets this identity through: the others must be refused by the access layer. */
function allowed(rule: RoutePolicy, identity: Identity): boolean {
  if (rule === 'public') return true;
  if (identity === 'client') return rule.includes('client');
  if (identity === 'titulaire connecté') return rule.includes('professional') || rule.includes('site_admin');
  return identity === 'professionnel connecté' && rule.includes('professional');
}

const accessCodes = new Set(['AUTH_REQUIRED', 'AUTH_FORBIDDEN', 'AUTH_TOKEN_INVALID', 'AUTH_DPOP_INVALID', 'AUTH_CLIENT_INVALID', 'AUTH_PROFESSIONAL_INACTIVE']);

/** A refusal by the access layer (not, say, a login that failed on a public route). */
function refusedByAccess(status: number, body: string): boolean {
  if (status !== 401 && status !== 403) return false;
  try {
    return accessCodes.has((JSON.parse(body) as { code?: string }).code ?? '');
  } catch {
    return false;
  }
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
    app = await buildServer({ access: await testAccess(t.db, clock), people: await devPeople(t.db, TEST_ORIGIN) });
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
    const app2 = await buildServer({ access: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    expect(() => app2.get('/api/v1/oubliee', () => 'x')).toThrow(/sans politique/);
    await app2.close();
  });

  it('gives every route × identity the declared outcome', async () => {
    const suspendedToken = await suspended.token();
    await t.db.transaction('platform', (tx) => tx.query("UPDATE client SET status = 'suspended' WHERE client_id = 'lgo-suspendu'"));
    const professionalId = await professionalIdOf(t.db, directory.employee);
    const holderId = await professionalIdOf(t.db, directory.active);
    const revoked = await openSession(t.db, professionalId, 'psc', 'eidas1', new Date());
    await revokeSession(t.db, revoked, new Date());
    const headersOf = async (identity: Identity, method: string, url: string): Promise<Record<string, string>> => {
      switch (identity) {
        case 'anonyme':
          return {};
        case 'client':
          return active.headers(method, url, await active.token(), directory.active);
        case 'client suspendu':
          return suspended.headers(method, url, suspendedToken, directory.active);
        case 'professionnel connecté':
          // A session of its own for each call: walking POST /auth/logout ends the one it carries.
          return { cookie: `${SESSION_COOKIE}=${await openSession(t.db, professionalId, 'psc', 'eidas1', new Date())}` };
        case 'titulaire connecté':
          return { cookie: `${SESSION_COOKIE}=${await openSession(t.db, holderId, 'psc', 'eidas1', new Date())}` };
        case 'session révoquée':
          return { cookie: `${SESSION_COOKIE}=${revoked}` };
      }
    };
    const outcomes: string[] = [];
    for (const [key, rule] of Object.entries(policy)) {
      const [method = '', url = ''] = key.split(' ');
      for (const identity of identities) {
        const response = await app.inject({ method: method as 'GET', url, headers: await headersOf(identity, method, url) });
        if (refusedByAccess(response.statusCode, response.body) === allowed(rule, identity)) outcomes.push(`${key} × ${identity} → ${response.statusCode}`);
      }
    }
    expect(outcomes).toEqual([]);
  });
});
