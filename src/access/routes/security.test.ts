import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { buildServer } from '../../app/server.js';
import { registerClient } from '../clients.js';
import { devPeople } from '../people/dev-people.js';
import { TEST_ORIGIN, testAccess, testVault } from '../test-support/access.js';
import { keyPair, professionalRef, seedDirectory, sentToLogin, sessionHeader, TestClient, type Directory } from '../test-support/client.js';
import { seedStaff, type Staff } from '../test-support/staff.js';

describe('security officers suspend an account, and only a second officer lifts it', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let staff: Staff;
  let software: TestClient;

  const post = async (url: string, headers: { cookie: string }, payload?: object): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
  const apiCall = async (rpps: string): Promise<number> => {
    const token = await software.token();
    return (await app.inject({ method: 'GET', url: '/api/v1/session', headers: await software.headers('GET', '/api/v1/session', token, rpps) })).statusCode;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    staff = await seedStaff(t.db);
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    const [clientKey, dpopKey] = await Promise.all([keyPair(), keyPair()]);
    await registerClient(t.db, { clientId: 'lgo-a', siteId: directory.siteA, name: 'LGO', jwks: { keys: [clientKey.jwk] } });
    software = new TestClient(app, { now: new Date() }, 'lgo-a', clientKey, dpopKey);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('cuts that account everywhere at once, and nobody else', async () => {
    const employeeSession = await sessionHeader(t.db, await professionalRef(t.db, directory.employee));
    const holderSession = await sessionHeader(t.db, await professionalRef(t.db, directory.active));
    const officer = await sessionHeader(t.db, staff.officer);
    const suspended = await post('/api/v1/security/suspensions', officer, { rpps: directory.employee, motif: 'identifiants hameçonnés' });
    expect(suspended.statusCode).toBe(201);
    expect(sentToLogin(await app.inject({ method: 'GET', url: '/moi', headers: employeeSession }))).toBe(true);
    expect(await apiCall(directory.employee)).toBe(403);
    // Containment, not closure: the same site's holder and software keep working.
    expect((await app.inject({ method: 'GET', url: '/moi', headers: holderSession })).statusCode).toBe(200);
    expect(await apiCall(directory.active)).toBe(200);
    const again = await post('/api/v1/security/suspensions', officer, { rpps: directory.employee, motif: 'encore' });
    expect(again.json()).toMatchObject({ code: 'ACCOUNT_ALREADY_SUSPENDED' });
  });

  it('needs a second officer to lift it', async () => {
    const listed = await app.inject({ method: 'GET', url: '/api/v1/security/suspensions', headers: await sessionHeader(t.db, staff.officer) });
    const [open] = listed.json<{ suspension: number; compte: string; par: string }[]>();
    expect(open).toMatchObject({ compte: `RPPS ${directory.employee}`, par: 'agent rssi-1' });
    const lift = `/api/v1/security/suspensions/${open?.suspension ?? 0}/lift`;
    const same = await post(lift, await sessionHeader(t.db, staff.officer), { motif: 'erreur de saisie' });
    expect(same.json()).toMatchObject({ code: 'SUSPENSION_SAME_OFFICER' });
    expect(await apiCall(directory.employee)).toBe(403);
    expect((await post(lift, await sessionHeader(t.db, staff.secondOfficer), { motif: 'erreur de saisie' })).statusCode).toBe(200);
    expect(await apiCall(directory.employee)).toBe(200);
  });

  it('logs suspensions, lifts and refusals without a secret or a token', async () => {
    const events = await app.inject({ method: 'GET', url: '/api/v1/security/auth-events?limite=500', headers: await sessionHeader(t.db, staff.officer) });
    const rows = events.json<{ kind: string; reason: string | null }[]>();
    expect(rows.filter((row) => row.kind === 'suspension').map((row) => row.reason)).toEqual([
      'suspension 1 levée par agent rssi-2 : erreur de saisie',
      `suspension 1 par agent rssi-1 : identifiants hameçonnés`,
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT anywhere
  });

  it('lets an operator administrator create staff accounts, each checked', async () => {
    const admin = await sessionHeader(t.db, staff.admin);
    const created = await post('/api/v1/admin/staff', admin, { sujet: 'agent-2', nom: 'Agent deux', role: 'insurer_agent', organisme: staff.amcNumber });
    expect(created.statusCode).toBe(201);
    const refused = await Promise.all([
      post('/api/v1/admin/staff', admin, { sujet: 'agent-2', nom: 'Doublon', role: 'security_officer' }),
      post('/api/v1/admin/staff', admin, { sujet: 'agent-3', nom: 'Sans organisme', role: 'insurer_agent' }),
      post('/api/v1/admin/staff', admin, { sujet: 'rssi-3', nom: 'Avec organisme', role: 'security_officer', organisme: staff.amcNumber }),
      post('/api/v1/admin/staff', admin, { sujet: 'agent-4', nom: 'Organisme inconnu', role: 'insurer_agent', organisme: '12345678' }),
    ]);
    expect(refused.map((r) => r.json<{ code: string }>().code)).toEqual(['STAFF_CONFLICT', 'STAFF_INVALID', 'STAFF_INVALID', 'STAFF_INVALID']);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/admin/staff', headers: admin });
    expect(listed.json<{ sujet: string }[]>().map((m) => m.sujet)).toContain('agent-2');
  });
});
