import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { DAY_MS } from '../../domain/dates.js';
import { buildServer } from '../../app/server.js';
import { STEP_UP_SECONDS } from '../policy.js';
import { TEST_ORIGIN, testAccess, testVault } from '../test-support/access.js';
import { professionalRef, seedDirectory, sessionHeader, type Directory } from '../test-support/client.js';
import { devPeople } from './dev-people.js';
import { SoftAuthenticator } from './test-support/authenticator.js';

type Headers = { cookie: string };

describe('step-up: a sensitive action needs a fresh proof of presence, not just a session', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let holder: Headers;
  let employee: Headers;
  const holderKey = new SoftAuthenticator(TEST_ORIGIN, 'rempart.test');
  const employeeKey = new SoftAuthenticator(TEST_ORIGIN, 'rempart.test');

  const post = (url: string, headers: Headers, payload?: object): Promise<LightMyRequestResponse> => app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

  async function registerPasskey(headers: Headers, authenticator: SoftAuthenticator): Promise<void> {
    const options = await post('/auth/passkey/register/options', headers);
    expect((await post('/auth/passkey/register', headers, authenticator.create(options.json()))).statusCode).toBe(200);
  }

  async function stepUp(headers: Headers, authenticator: SoftAuthenticator): Promise<number> {
    const options = await post('/auth/step-up/options', headers);
    return (await post('/auth/step-up', headers, authenticator.get(options.json<{ challenge: string }>().challenge))).statusCode;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    // Each registered their passkey right after a PSC login; the sessions they work in now were opened long enough ago that their proof has gone stale.
    const [holderRef, employeeRef] = [await professionalRef(t.db, directory.active), await professionalRef(t.db, directory.employee)];
    await registerPasskey(await sessionHeader(t.db, holderRef), holderKey);
    await registerPasskey(await sessionHeader(t.db, employeeRef), employeeKey);
    const longAgo = new Date(Date.now() - 2 * STEP_UP_SECONDS * 1000);
    holder = await sessionHeader(t.db, holderRef, longAgo);
    employee = await sessionHeader(t.db, employeeRef, longAgo);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const delegation = (): { structure: string; rpps: string; jusquau: string } => ({ structure: '', rpps: directory.employee, jusquau: new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10) });

  it('asks a stale session to confirm, refuses someone else’s passkey, then lets the owner act', async () => {
    const finess = await t.db.transaction('platform', (tx) => tx.query<{ finess: string }>('SELECT finess FROM site WHERE id = $1', [directory.siteA]));
    const body = { ...delegation(), structure: finess.rows[0]?.finess ?? '' };
    const stale = await post('/api/v1/site/delegations', holder, body);
    expect(stale.statusCode).toBe(403);
    expect(stale.json()).toMatchObject({ code: 'AUTH_FRESH_PROOF_REQUIRED' });
    expect(await stepUp(holder, employeeKey)).toBe(401);
    expect((await post('/api/v1/site/delegations', holder, body)).statusCode).toBe(403);
    expect(await stepUp(holder, holderKey)).toBe(200);
    expect((await post('/api/v1/site/delegations', holder, body)).statusCode).toBe(201);
    const events = await t.db.transaction('platform', (tx) =>
      tx.query<{ outcome: string }>("SELECT outcome FROM auth_event WHERE kind = 'step-up' ORDER BY id"),
    );
    expect(events.rows.map((row) => row.outcome)).toEqual(['failure', 'success']);
  });

  it('makes the delegate a site administrator until the delegation is revoked', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/site/clients', headers: employee })).statusCode).toBe(200);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/site/delegations', headers: holder });
    const [granted] = listed.json<{ delegation: number; rpps: string }[]>();
    expect(granted?.rpps).toBe(directory.employee);
    expect((await post(`/api/v1/site/delegations/${granted?.delegation ?? 0}/revoke`, holder)).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/site/clients', headers: employee })).statusCode).toBe(403);
  });

  it('refuses a delegation to someone not practising at the site, or for more than a year', async () => {
    const finess = await t.db.transaction('platform', (tx) => tx.query<{ finess: string }>('SELECT finess FROM site WHERE id = $1', [directory.siteA]));
    const structure = finess.rows[0]?.finess ?? '';
    const refusals = await Promise.all([
      post('/api/v1/site/delegations', holder, { ...delegation(), structure, rpps: directory.departed }),
      post('/api/v1/site/delegations', holder, { ...delegation(), structure, rpps: directory.elsewhere }),
      post('/api/v1/site/delegations', holder, { ...delegation(), structure, jusquau: '2999-01-01' }),
      post('/api/v1/site/delegations', holder, { ...delegation(), structure, jusquau: '2026-02-30' }),
    ]);
    expect(refusals.map((r) => r.json<{ code: string }>().code)).toEqual(['DELEGATION_INVALID', 'DELEGATION_INVALID', 'DELEGATION_INVALID', 'DELEGATION_INVALID']);
    const otherSite = await post('/api/v1/site/delegations', holder, { ...delegation(), structure: '750000001' });
    expect(otherSite.json()).toMatchObject({ code: 'SITE_UNKNOWN' });
  });
});
