import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { buildServer } from '../../app/server.js';
import { registerClient } from '../clients.js';
import { devPeople } from '../people/dev-people.js';
import { TEST_ORIGIN, testAccess, testVault } from '../test-support/access.js';
import { keyPair, professionalRef, seedDirectory, sessionHeader, TestClient, type Directory } from '../test-support/client.js';

describe('a site administrator manages the site’s software', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let software: TestClient;

  async function sessionOf(rpps: string): Promise<{ cookie: string }> {
    return sessionHeader(t.db, await professionalRef(t.db, rpps));
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    const [a, b, other] = await Promise.all([keyPair(), keyPair(), keyPair()]);
    await registerClient(t.db, { clientId: 'lgo-site-a', siteId: directory.siteA, name: 'LGO A', jwks: { keys: [a.jwk] } });
    await registerClient(t.db, { clientId: 'lgo-site-b', siteId: directory.siteB, name: 'LGO B', jwks: { keys: [other.jwk] } });
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    software = new TestClient(app, { now: new Date() }, 'lgo-site-a', a, b);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lists only the software of the sites they hold', async () => {
    const listed = await app.inject({ method: 'GET', url: '/api/v1/site/clients', headers: await sessionOf(directory.active) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ client: string }[]>().map((c) => c.client)).toEqual(['lgo-site-a']);
  });

  it('is refused to an employee of the same site', async () => {
    const listed = await app.inject({ method: 'GET', url: '/api/v1/site/clients', headers: await sessionOf(directory.employee) });
    expect(listed.statusCode).toBe(403);
  });

  it('suspends the site’s software at once, and cannot touch another site’s', async () => {
    software.clock.now = new Date();
    const token = await software.token();
    const headers = await sessionOf(directory.active);
    const other = await app.inject({ method: 'POST', url: '/api/v1/site/clients/lgo-site-b/suspend', headers, payload: { motif: 'essai' } });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'CLIENT_UNKNOWN' });
    const suspended = await app.inject({ method: 'POST', url: '/api/v1/site/clients/lgo-site-a/suspend', headers, payload: { motif: 'poste volé' } });
    expect(suspended.statusCode).toBe(200);
    const call = await app.inject({ method: 'GET', url: '/api/v1/session', headers: await software.headers('GET', '/api/v1/session', token, directory.active) });
    expect(call.statusCode).toBe(401);
    const reasons = await t.db.transaction('platform', (tx) => tx.query<{ reason: string }>("SELECT reason FROM auth_event WHERE kind = 'revocation'"));
    expect(reasons.rows[0]?.reason).toBe(`suspension : poste volé (par RPPS ${directory.active})`);
  });

  it('registers the site’s new software and rotates its keys without downtime', async () => {
    const headers = await sessionOf(directory.active);
    const finess = await t.db.transaction('platform', (tx) => tx.query<{ finess: string }>('SELECT finess FROM site WHERE id = $1', [directory.siteA]));
    const structure = finess.rows[0]?.finess ?? '';
    const [first, second, dpop] = await Promise.all([keyPair(), keyPair(), keyPair()]);
    const register = (client: string, jwks: object): Promise<LightMyRequestResponse> => app.inject({ method: 'POST', url: '/api/v1/site/clients', headers, payload: { client, nom: 'Nouveau LGO', structure, jwks } });
    const publish = (client: string, keys: object[]): Promise<LightMyRequestResponse> => app.inject({ method: 'PUT', url: `/api/v1/site/clients/${client}/keys`, headers, payload: { jwks: { keys } } });
    expect((await register('lgo-neuf', { keys: [first.jwk] })).statusCode).toBe(201);
    expect((await register('lgo-neuf', { keys: [second.jwk] })).json()).toMatchObject({ code: 'CLIENT_CONFLICT' });
    expect((await register('lgo-prive', { keys: [{ ...first.jwk, d: 'secret' }] })).json()).toMatchObject({ code: 'FIELD_INVALID' });
    expect((await publish('lgo-site-b', [second.jwk])).json()).toMatchObject({ code: 'CLIENT_UNKNOWN' });
    const withKey = (key: typeof first): Promise<boolean> => new TestClient(app, { now: new Date() }, 'lgo-neuf', key, dpop).token().then(() => true, () => false);
    expect(await withKey(first)).toBe(true);
    expect((await publish('lgo-neuf', [first.jwk, second.jwk])).statusCode).toBe(200);
    expect([await withKey(first), await withKey(second)]).toEqual([true, true]);
    expect((await publish('lgo-neuf', [second.jwk])).statusCode).toBe(200);
    expect([await withKey(first), await withKey(second)]).toEqual([false, true]);
  });
});
