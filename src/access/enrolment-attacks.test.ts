import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { DAY_MS } from '../domain/dates.js';
import { buildServer } from '../app/server.js';
import { registerClient } from './clients.js';
import type { AccountRef } from './people/accounts.js';
import { devPeople } from './people/dev-people.js';
import { openSession, SESSION_COOKIE } from './people/sessions.js';
import { STRONG_PROOF_SECONDS } from './people/strong-proof.js';
import { SoftAuthenticator } from './people/test-support/authenticator.js';
import { TEST_ORIGIN, testAccess, testVault } from './test-support/access.js';
import { keyPair, professionalRef, seedDirectory, sentToLogin, sessionHeader, sessionHeaders, TEST_PROVED_FROM, TestClient, type Directory, type KeyPair } from './test-support/client.js';
import { seedStaff, type Staff } from './test-support/staff.js';

type Cookie = { cookie: string };
/** Where the attacker replays a copied cookie from: another network, another browser than the holder's (TEST_PROVED_FROM). */
const ELSEWHERE = { remoteAddress: '203.0.113.9', userAgent: 'curl/8.5.0' };

/**
 * THREATS.md 12, issue 15 point 1: an independent test stole a 395 s-old cookie, enrolled its
 * own software authenticator, answered every step-up with it, registered practice software
 * that kept working after the holder's suspension, and came back after logout. Each step
 * of that campaign, replayed here, must now fail; the holder, with a fresh strong proof,
 * must still get through; and whatever is enrolled is shown to them and to security.
 */
describe('a stolen session enrols nothing: credentials follow a fresh strong proof (THREATS.md 12)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let staff: Staff;
  let holder: AccountRef;
  let structure: string;
  const holderKey = new SoftAuthenticator(TEST_ORIGIN, 'rempart.test');
  const attackerKey = new SoftAuthenticator(TEST_ORIGIN, 'rempart.test');

  /** A request with the session `headers`, from the holder's place unless `from` says otherwise. */
  const send = (method: 'POST' | 'PUT', url: string, headers: Cookie, payload?: object, from: Partial<typeof ELSEWHERE> = {}): Promise<LightMyRequestResponse> =>
    app.inject({
      method, url, ...(from.remoteAddress ? { remoteAddress: from.remoteAddress } : {}),
      headers: { ...headers, ...(from.userAgent ? { 'user-agent': from.userAgent } : {}) }, ...(payload ? { payload } : {}),
    });
  const post = (url: string, headers: Cookie, payload?: object, from: Partial<typeof ELSEWHERE> = {}): Promise<LightMyRequestResponse> => send('POST', url, headers, payload, from);
  const secondsAgo = (seconds: number): Date => new Date(Date.now() - seconds * 1000);
  const software = (client: string, key: KeyPair): object => ({ client, nom: 'LGO', structure, jwks: { keys: [key.jwk] } });
  const delegation = (): object => ({ structure, rpps: directory.employee, jusquau: new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10) });
  const refusal = (response: LightMyRequestResponse): string => `${response.statusCode} ${response.json<{ code?: string }>().code ?? ''}`;

  /** Every enrolment the campaign tried, as the session `cookie` makes it from `from`: the answers, one per attempt. */
  async function enrolAll(cookie: Cookie, from: Partial<typeof ELSEWHERE> = {}): Promise<Record<string, string>> {
    const options = await post('/auth/passkey/register/options', cookie, undefined, from);
    // Without options of its own, the attacker answers a challenge of its making: the refusal must come first.
    const creation = options.statusCode === 200 ? options.json<PublicKeyCredentialCreationOptionsJSON>() : ({ challenge: 'ZmFicmlxdWU' } as PublicKeyCredentialCreationOptionsJSON);
    const attackerSoftware = await keyPair();
    return {
      'options d’enregistrement d’une clé': refusal(options),
      'clé d’accès de l’attaquant': refusal(await post('/auth/passkey/register', cookie, attackerKey.create(creation), from)),
      'nouveau logiciel pour la structure': refusal(await post('/api/v1/site/clients', cookie, software('lgo-attaquant', attackerSoftware), from)),
      'nouvelles clés pour le logiciel de la structure': refusal(await send('PUT', '/api/v1/site/clients/lgo-site/keys', cookie, { jwks: { keys: [attackerSoftware.jwk] } }, from)),
      'délégation de la structure': refusal(await post('/api/v1/site/delegations', cookie, delegation(), from)),
    };
  }
  const refusedEverywhere = (answers: Record<string, string>): Record<string, string> => Object.fromEntries(Object.keys(answers).map((what) => [what, '403 AUTH_FRESH_PROOF_REQUIRED']));

  async function stepUp(cookie: Cookie, authenticator: SoftAuthenticator): Promise<number> {
    const options = await post('/auth/step-up/options', cookie);
    if (options.statusCode !== 200) return options.statusCode;
    return (await post('/auth/step-up', cookie, authenticator.get(options.json<{ challenge: string }>().challenge))).statusCode;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    staff = await seedStaff(t.db);
    holder = await professionalRef(t.db, directory.active);
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    const finess = await t.db.transaction('platform', (tx) => tx.query<{ finess: string }>('SELECT finess FROM site WHERE id = $1', [directory.siteA]));
    structure = finess.rows[0]?.finess ?? '';
    // The site's software, registered from the command line, used by everyone who practises there.
    await registerClient(t.db, { clientId: 'lgo-site', siteId: directory.siteA, name: 'LGO du site', jwks: { keys: [(await keyPair()).jwk] } });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('refuses every enrolment to a cookie whose login is 395 s old, even from the holder’s own browser', async () => {
    const stolen = await sessionHeader(t.db, holder, secondsAgo(395));
    const answers = await enrolAll(stolen);
    expect(answers).toEqual(refusedEverywhere(answers));
    // With no passkey of its own, the stolen session cannot make itself fresh either.
    expect(await stepUp(stolen, attackerKey)).toBe(401);
  });

  it('lets the holder enrol their first passkey right after a Pro Santé Connect login, and nothing later', async () => {
    const justLoggedIn = await sessionHeader(t.db, holder);
    const options = await post('/auth/passkey/register/options', justLoggedIn);
    expect((await post('/auth/passkey/register', justLoggedIn, holderKey.create(options.json()))).statusCode).toBe(200);
    // The same login, minutes later (its auth_time past the window), enrols nothing.
    const earlier = await sessionHeader(t.db, holder, secondsAgo(STRONG_PROOF_SECONDS + 1));
    expect(refusal(await post('/auth/passkey/register/options', earlier))).toBe('403 AUTH_FRESH_PROOF_REQUIRED');
  });

  it('refuses a moved session (other network, other device) even right after its proof, and not a person who moved one of them', async () => {
    const fresh = await sessionHeader(t.db, holder);
    const answers = await enrolAll(fresh, ELSEWHERE);
    expect(answers).toEqual(refusedEverywhere(answers));
    // Same browser on another network (a laptop taken home), or another browser on the same network: the holder.
    const roaming = await sessionHeader(t.db, holder);
    expect((await post('/auth/passkey/register/options', roaming, undefined, { remoteAddress: ELSEWHERE.remoteAddress })).statusCode).toBe(200);
    expect((await post('/auth/passkey/register/options', roaming, undefined, { userAgent: ELSEWHERE.userAgent })).statusCode).toBe(200);
  });

  it('lets the holder enrol after a passkey step-up, and shows each enrolment to them and to the security console', async () => {
    const stale = await sessionHeader(t.db, holder, secondsAgo(3600));
    expect(await stepUp(stale, holderKey)).toBe(200);
    const second = new SoftAuthenticator(TEST_ORIGIN, 'rempart.test');
    const options = await post('/auth/passkey/register/options', stale);
    expect((await post('/auth/passkey/register', stale, second.create(options.json()))).statusCode).toBe(200);
    expect((await post('/api/v1/site/clients', stale, software('lgo-du-titulaire', await keyPair()))).statusCode).toBe(201);
    expect((await post('/api/v1/site/delegations', stale, delegation())).statusCode).toBe(201);
    const page = await app.inject({ method: 'GET', url: '/moi', headers: stale });
    for (const what of ['clé d’accès ajoutée', 'logiciel lgo-du-titulaire enregistré', `à RPPS ${directory.employee}`, 'lightMyRequest', '127.0.0.0/24']) expect(page.body).toContain(what);
    const officerView = await app.inject({ method: 'GET', url: `/api/v1/security/enrolments?rpps=${directory.active}`, headers: await sessionHeader(t.db, staff.officer) });
    const seen = officerView.json<{ clesAcces: { cle: string }[]; sessions: object[]; enrolements: { quoi: string; refuse: boolean; appareil: string; reseau: string }[] }>();
    expect(seen.clesAcces.map((key) => key.cle).sort()).toEqual([holderKey.credentialId.toString('base64url'), second.credentialId.toString('base64url')].sort());
    const [done, refused] = [seen.enrolements.filter((e) => !e.refuse), seen.enrolements.filter((e) => e.refuse)];
    expect(done.map((e) => e.quoi)).toEqual(expect.arrayContaining(['clé d’accès ajoutée', 'logiciel lgo-du-titulaire enregistré']));
    expect(done.every((e) => e.appareil === 'lightMyRequest' && e.reseau === '127.0.0.0/24')).toBe(true);
    // The copied cookie's attempts too, from where they came: what tells the holder and the console that someone tried.
    expect(refused.filter((e) => e.appareil === ELSEWHERE.userAgent && e.reseau === '203.0.113.0/24').map((e) => e.quoi)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^refusé : Enregistrer un logiciel \(session utilisée depuis un autre réseau/)]),
    );
    expect(page.body).toContain(ELSEWHERE.userAgent);
    expect(seen.sessions.length).toBeGreaterThan(0);
  });

  it('withdraws a passkey only with a fresh proof, after which it neither logs in nor steps up', async () => {
    const withdrawn = new SoftAuthenticator(TEST_ORIGIN, 'rempart.test');
    const fresh = await sessionHeader(t.db, holder);
    expect((await post('/auth/passkey/register', fresh, withdrawn.create((await post('/auth/passkey/register/options', fresh)).json()))).statusCode).toBe(200);
    const url = `/auth/passkeys/${withdrawn.credentialId.toString('base64url')}/revoke`;
    expect(refusal(await post(url, await sessionHeader(t.db, holder, secondsAgo(395))))).toBe('403 AUTH_FRESH_PROOF_REQUIRED');
    expect(refusal(await post(url, await sessionHeader(t.db, await professionalRef(t.db, directory.employee))))).toBe('404 PASSKEY_UNKNOWN');
    expect((await post(url, fresh)).statusCode).toBe(200);
    const login = await post('/auth/passkey/login', fresh, withdrawn.get((await post('/auth/passkey/login/options', fresh)).json<{ challenge: string }>().challenge));
    expect(login.statusCode).toBe(401);
    expect(await stepUp(await sessionHeader(t.db, holder, secondsAgo(3600)), withdrawn)).toBe(401);
  });

  it('replaces the session a browser held when its holder confirms by logging in again, rather than leaving both open', async () => {
    const before = await sessionHeader(t.db, holder, secondsAgo(3600));
    const login = await post('/auth/passkey/login', before, holderKey.get((await post('/auth/passkey/login/options', before)).json<{ challenge: string }>().challenge));
    expect(login.statusCode).toBe(200);
    const after = sessionHeaders(login.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '');
    expect(sentToLogin(await app.inject({ method: 'GET', url: '/moi', headers: before }))).toBe(true);
    expect((await post('/auth/passkey/register/options', after)).statusCode).toBe(200);
  });

  it('lets a person close any of their own sessions without a fresh proof, and nobody else’s', async () => {
    const forgotten = await openSession(t.db, holder, 'psc', 'eidas1', secondsAgo(3600), TEST_PROVED_FROM, secondsAgo(3600));
    const mine = await sessionHeader(t.db, holder, secondsAgo(3600));
    const page = (await app.inject({ method: 'GET', url: '/moi', headers: mine })).body;
    // The page marks the session it is shown in; the others are closed first.
    const others = [...page.matchAll(/<button[^>]* data-revoke-session="([0-9a-f]{16})"(?![^>]*data-current)/g)].map((match) => match[1] ?? '');
    const current = /data-revoke-session="([0-9a-f]{16})" data-current="1"/.exec(page)?.[1] ?? '';
    expect(others.length).toBeGreaterThan(0);
    const employee = await sessionHeader(t.db, await professionalRef(t.db, directory.employee));
    for (const ref of [...others, current]) expect(refusal(await post(`/auth/sessions/${ref}/revoke`, employee))).toBe('404 SESSION_UNKNOWN');
    for (const ref of others) expect((await post(`/auth/sessions/${ref}/revoke`, mine)).statusCode).toBe(200);
    expect(sentToLogin(await app.inject({ method: 'GET', url: '/moi', headers: { cookie: `${SESSION_COOKIE}=${forgotten}` } }))).toBe(true);
    expect((await post(`/auth/sessions/${current}/revoke`, mine)).statusCode).toBe(200);
    expect(sentToLogin(await app.inject({ method: 'GET', url: '/moi', headers: mine }))).toBe(true);
  });

  it('stops the software a professional registered once that professional is suspended, and not the site’s own', async () => {
    const [clientKey, dpopKey, siteKey, siteDpop] = await Promise.all([keyPair(), keyPair(), keyPair(), keyPair()]);
    const fresh = await sessionHeader(t.db, holder);
    expect((await post('/api/v1/site/clients', fresh, software('lgo-perso', clientKey))).statusCode).toBe(201);
    await registerClient(t.db, { clientId: 'lgo-site', siteId: directory.siteA, name: 'LGO du site', jwks: { keys: [siteKey.jwk] } });
    const registered = new TestClient(app, { now: new Date() }, 'lgo-perso', clientKey, dpopKey);
    const sites = new TestClient(app, { now: new Date() }, 'lgo-site', siteKey, siteDpop);
    const call = async (client: TestClient, token: string): Promise<number> =>
      (await app.inject({ method: 'GET', url: '/api/v1/session', headers: await client.headers('GET', '/api/v1/session', token, directory.employee) })).statusCode;
    const token = await registered.token();
    expect(await call(registered, token)).toBe(200);
    const suspended = await post('/api/v1/security/suspensions', await sessionHeader(t.db, staff.officer), { rpps: directory.active, motif: 'session volée' });
    expect(suspended.statusCode).toBe(201);
    // The token already issued, and any new one, for any professional of the site.
    expect(await call(registered, token)).toBe(401);
    await expect(registered.token()).rejects.toThrow(/401/);
    // The site's software, which the suspended professional did not enrol, goes on for the others.
    expect(await call(sites, await sites.token())).toBe(200);
  });
});
