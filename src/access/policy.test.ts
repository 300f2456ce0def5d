import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../app/server.js';
import { registerClient } from './clients.js';
import { registerPortalClient } from './portal-clients.js';
import { createStaffMember } from './staff.js';
import type { AccountRef } from './people/accounts.js';
import { devPeople } from './people/dev-people.js';
import { openSession, revokeSession, SESSION_COOKIE } from './people/sessions.js';
import { policy, STEP_UP_SECONDS, type Role, type RoutePolicy } from './policy.js';
import { TEST_ORIGIN, testAccess, testVault } from './test-support/access.js';
import { keyPair, professionalRef, seedDirectory, sessionHeader, TEST_PROVED_FROM, TestClient, type Directory } from './test-support/client.js';
import { seedStaff, type Staff } from './test-support/staff.js';

/** Each identity the walk presents, with the roles it holds and whether its proof of presence is recent. */
const identities = {
  anonyme: { roles: [], fresh: false },
  client: { roles: ['client'], fresh: false },
  'portail adhérents': { roles: ['member_portal'], fresh: false },
  'client suspendu': { roles: [], fresh: false },
  'professionnel connecté': { roles: ['professional'], fresh: true },
  'titulaire connecté': { roles: ['professional', 'site_admin'], fresh: true },
  'titulaire connecté depuis longtemps': { roles: ['professional', 'site_admin'], fresh: false },
  'agent d’organisme': { roles: ['insurer_agent'], fresh: true },
  'responsable sécurité': { roles: ['security_officer'], fresh: true },
  'responsable sécurité connecté depuis longtemps': { roles: ['security_officer'], fresh: false },
  'administrateur plateforme': { roles: ['operator_admin'], fresh: true },
  'session révoquée': { roles: [], fresh: false },
  'professionnel suspendu': { roles: [], fresh: false },
  'agent suspendu': { roles: [], fresh: false },
} satisfies Record<string, { roles: Role[]; fresh: boolean }>;

type Identity = keyof typeof identities;

/** Whether the policy lets this identity through: the others must be refused by the access layer. */
function allowed(rule: RoutePolicy, identity: Identity): boolean {
  if (rule === 'public') return true;
  const { roles, fresh } = identities[identity];
  const person = !roles.some((role: Role) => role === 'client' || role === 'member_portal');
  return roles.some((role: Role) => rule.roles.includes(role)) && ((!rule.stepUp && rule.enrols !== true) || !person || fresh);
}

const accessCodes = new Set([
  'AUTH_REQUIRED', 'AUTH_FORBIDDEN', 'AUTH_TOKEN_INVALID', 'AUTH_DPOP_INVALID', 'AUTH_CLIENT_INVALID', 'AUTH_PROFESSIONAL_INACTIVE', 'AUTH_STEP_UP_REQUIRED',
  'AUTH_FRESH_PROOF_REQUIRED',
]);

/** A refusal by the access layer (not, say, a login that failed on a public route). */
function refusedByAccess(status: number, body: string, location: unknown): boolean {
  // A page sends a logged-out visitor to log in (src/web/shell/refusals.tsx).
  if (status === 302) return typeof location === 'string' && location.startsWith('/?retour=');
  if (status !== 401 && status !== 403) return false;
  // A page's refusal is a French page naming its code.
  const onPage = /id="refusal" data-code="([A-Z_]+)"/.exec(body);
  if (onPage) return accessCodes.has(onPage[1] ?? '');
  try {
    const parsed = JSON.parse(body) as { code?: string; issue?: { details?: { coding?: { code?: string }[] } }[] };
    // The FHIR routes refuse with an OperationOutcome that carries the same code.
    return accessCodes.has(parsed.code ?? parsed.issue?.[0]?.details?.coding?.[0]?.code ?? '');
  } catch {
    return false;
  }
}

describe('the declared access policy, route by route and role by role', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let staff: Staff;
  let active: TestClient;
  let suspended: TestClient;
  let portal: TestClient;
  const clock = { now: new Date() };

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    staff = await seedStaff(t.db);
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db, clock), people: await devPeople(t.db, TEST_ORIGIN) });
    const keys = await Promise.all([keyPair(), keyPair(), keyPair(), keyPair()]);
    await registerClient(t.db, { clientId: 'lgo-actif', siteId: directory.siteA, name: 'actif', jwks: { keys: [keys[0].jwk] } });
    await registerClient(t.db, { clientId: 'lgo-suspendu', siteId: directory.siteA, name: 'suspendu', jwks: { keys: [keys[2].jwk] } });
    active = new TestClient(app, clock, 'lgo-actif', keys[0], keys[1]);
    const portalKeys = await Promise.all([keyPair(), keyPair()]);
    await registerPortalClient(t.db, { clientId: 'portail-adherents', amcNumber: staff.amcNumber, name: 'portail', jwks: { keys: [portalKeys[0].jwk] } });
    portal = new TestClient(app, clock, 'portail-adherents', portalKeys[0], portalKeys[1]);
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
    const app2 = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    expect(() => app2.get('/api/v1/oubliee', () => 'x')).toThrow(/sans politique/);
    await app2.close();
  });

  it('gives every route × identity the declared outcome', async () => {
    const suspendedToken = await suspended.token();
    await t.db.transaction('platform', (tx) => tx.query("UPDATE client SET status = 'suspended' WHERE client_id = 'lgo-suspendu'"));
    const employee = await professionalRef(t.db, directory.employee);
    const holder = await professionalRef(t.db, directory.active);
    const elsewhere = await professionalRef(t.db, directory.elsewhere);
    const suspendedStaff: AccountRef = { kind: 'staff', id: await createStaffMember(t.db, { subject: 'admin-suspendu', name: 'x', role: 'operator_admin' }, 'tests') };
    const revoked = await openSession(t.db, employee, 'psc', 'eidas1', new Date(), TEST_PROVED_FROM);
    await revokeSession(t.db, revoked, new Date());
    await t.db.transaction('platform', (tx) =>
      tx.query(
        `INSERT INTO account_suspension (professional_id, staff_id, reason, suspended_by, suspended_at)
         VALUES ($1, NULL, 'test', 'tests', now()), (NULL, $2, 'test', 'tests', now())`,
        [elsewhere.id, suspendedStaff.id],
      ),
    );
    const longAgo = new Date(Date.now() - 2 * STEP_UP_SECONDS * 1000);
    // A session of its own for each call: walking POST /auth/logout ends the one it carries.
    const headersOf = async (identity: Identity, method: string, url: string): Promise<Record<string, string>> => {
      switch (identity) {
        case 'anonyme':
          return {};
        case 'client':
          return active.headers(method, url, await active.token(), directory.active);
        case 'portail adhérents': {
          const token = await portal.token();
          return { authorization: `DPoP ${token}`, dpop: await portal.proof(method, url, { token }) };
        }
        case 'client suspendu':
          return suspended.headers(method, url, suspendedToken, directory.active);
        case 'professionnel connecté':
          return sessionHeader(t.db, employee);
        case 'titulaire connecté':
          return sessionHeader(t.db, holder);
        case 'titulaire connecté depuis longtemps':
          return sessionHeader(t.db, holder, longAgo);
        case 'agent d’organisme':
          return sessionHeader(t.db, staff.agent);
        case 'responsable sécurité':
          return sessionHeader(t.db, staff.officer);
        case 'responsable sécurité connecté depuis longtemps':
          return sessionHeader(t.db, staff.officer, longAgo);
        case 'administrateur plateforme':
          return sessionHeader(t.db, staff.admin);
        case 'session révoquée':
          return { cookie: `${SESSION_COOKIE}=${revoked}` };
        // Sessions written straight to the table, as if opened before the suspension:
        // the suspension alone must shut them.
        case 'professionnel suspendu':
          return sessionHeader(t.db, elsewhere);
        case 'agent suspendu':
          return sessionHeader(t.db, suspendedStaff);
      }
    };
    const outcomes: string[] = [];
    for (const [key, rule] of Object.entries(policy)) {
      const [method = '', url = ''] = key.split(' ');
      for (const identity of Object.keys(identities) as Identity[]) {
        const response = await app.inject({ method: method as 'GET', url, headers: await headersOf(identity, method, url) });
        if (refusedByAccess(response.statusCode, response.body, response.headers.location) === allowed(rule, identity)) outcomes.push(`${key} × ${identity} → ${response.statusCode}`);
      }
    }
    expect(outcomes).toEqual([]);
  });
});
