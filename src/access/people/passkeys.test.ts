import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { buildServer } from '../../app/server.js';
import { TEST_ORIGIN, testAccess, testVault } from '../test-support/access.js';
import { professionalRef, seedDirectory, sentToLogin, sessionHeaders, TEST_PROVED_FROM, type Directory } from '../test-support/client.js';
import type { AccountRef } from './accounts.js';
import { devPeople } from './dev-people.js';
import { Passkeys } from './passkeys.js';
import { openSession, SESSION_COOKIE } from './sessions.js';
import { SoftAuthenticator, type Tamper } from './test-support/authenticator.js';

const RP = { rpID: 'rempart.test', origin: TEST_ORIGIN };

describe('passkeys: phishing-resistant logins (THREATS.md 1)', () => {
  let t: TestDatabase;
  let directory: Directory;
  let account: AccountRef;
  let passkeys: Passkeys;
  let authenticator: SoftAuthenticator;
  const later = (minutes: number): Date => new Date(Date.now() + minutes * 60_000);

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    account = await professionalRef(t.db, directory.active);
    passkeys = new Passkeys(t.db, RP);
    authenticator = new SoftAuthenticator(RP.origin, RP.rpID);
    await passkeys.register(account, authenticator.create(await passkeys.registrationOptions(account, directory.active, new Date())), new Date(), TEST_PROVED_FROM);
  });
  afterAll(() => t.drop());

  async function login(tamper: Tamper = {}, when = new Date()): Promise<boolean> {
    const options = await passkeys.authenticationOptions(new Date());
    return passkeys.authenticate(authenticator.get(options.challenge, tamper), when).then(
      (owner) => owner.kind === 'professional' && owner.id === account.id,
      () => false,
    );
  }

  it('logs a registered professional in with their passkey', async () => {
    expect(await login()).toBe(true);
  });

  it('refuses every bent ceremony', async () => {
    const accepted: string[] = [];
    const attacks: [string, () => Promise<boolean>][] = [
      ['assertion pour un site sosie', () => login({ origin: 'https://rempart-sante.fr' })],
      ['mauvais rpId', () => login({ rpId: 'rempart-sante.fr' })],
      ['appel depuis un autre site (crossOrigin)', () => login({ crossOrigin: true })],
      ['sans vérification de l’utilisateur', () => login({ userVerified: false })],
      ['bit de signature inversé', () => login({ flipSignatureBit: true })],
      ['compteur en régression (clé clonée)', () => login({ counter: 1 })],
      ['défi expiré', () => login({}, later(10))],
      ['défi rejoué', async () => {
        const options = await passkeys.authenticationOptions(new Date());
        const response = authenticator.get(options.challenge);
        await passkeys.authenticate(response, new Date());
        return passkeys.authenticate(response, new Date()).then(() => true, () => false);
      }],
      ['enregistrement depuis un site sosie', async () => {
        const other = new SoftAuthenticator(RP.origin, RP.rpID);
        const options = await passkeys.registrationOptions(account, directory.active, new Date());
        return passkeys.register(account, other.create(options, { origin: 'https://rempart-sante.fr' }), new Date(), TEST_PROVED_FROM).then(() => true, () => false);
      }],
      ['défi d’enregistrement utilisé pour un autre compte', async () => {
        const other = new SoftAuthenticator(RP.origin, RP.rpID);
        const options = await passkeys.registrationOptions(account, directory.active, new Date());
        return passkeys.register({ kind: 'professional', id: account.id + 1 }, other.create(options), new Date(), TEST_PROVED_FROM).then(() => true, () => false);
      }],
    ];
    for (const [kind, attempt] of attacks) if (await attempt()) accepted.push(kind);
    expect(accepted).toEqual([]);
    expect(await login()).toBe(true); // the genuine passkey still works after all that
  });
});

describe('register a passkey after a PSC login, log out, and come back with it', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('works end to end through the HTTP routes', async () => {
    const loggedInAt = new Date();
    const pscSession = await openSession(t.db, await professionalRef(t.db, directory.active), 'psc', 'eidas1', loggedInAt, TEST_PROVED_FROM, loggedInAt);
    const cookie = sessionHeaders(pscSession);
    const authenticator = new SoftAuthenticator(TEST_ORIGIN, 'rempart.test');
    const creation = await app.inject({ method: 'POST', url: '/auth/passkey/register/options', headers: cookie });
    expect(creation.statusCode).toBe(200);
    const registered = await app.inject({ method: 'POST', url: '/auth/passkey/register', headers: cookie, payload: authenticator.create(creation.json()) });
    expect(registered.statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/auth/logout', headers: cookie });
    expect(sentToLogin(await app.inject({ method: 'GET', url: '/moi', headers: cookie }))).toBe(true);
    const request = await app.inject({ method: 'POST', url: '/auth/passkey/login/options' });
    const loggedIn = await app.inject({ method: 'POST', url: '/auth/passkey/login', payload: authenticator.get(request.json<{ challenge: string }>().challenge) });
    expect(loggedIn.statusCode).toBe(200);
    const session = loggedIn.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    const me = await app.inject({ method: 'GET', url: '/moi', headers: { cookie: `${SESSION_COOKIE}=${session?.value ?? ''}` } });
    expect(me.statusCode).toBe(200);
  });
});
