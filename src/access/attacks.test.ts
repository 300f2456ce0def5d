import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../app/server.js';
import { TOKEN_PATH } from './access.js';
import { registerClient, setClientStatus } from './clients.js';
import { testAccess, testVault } from './test-support/access.js';
import { keyPair, seedDirectory, TestClient, type Directory, type KeyPair } from './test-support/client.js';

const SESSION = '/api/v1/session';

describe('practice software cannot be impersonated (THREATS.md 1, 6)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const clock = { now: new Date() };
  let directory: Directory;
  let client: TestClient;
  let attackerKey: KeyPair;

  async function callSession(token: string, rpps: string, proof?: string | null): Promise<number> {
    return (await app.inject({ method: 'GET', url: SESSION, headers: await client.headers('GET', SESSION, token, rpps, proof) })).statusCode;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    const [clientKey, dpopKey] = await Promise.all([keyPair(), keyPair()]);
    attackerKey = await keyPair();
    await registerClient(t.db, { clientId: 'lgo-pharmacie-a', siteId: directory.siteA, name: 'LGO A', jwks: { keys: [clientKey.jwk] } });
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db, clock) });
    client = new TestClient(app, clock, 'lgo-pharmacie-a', clientKey, dpopKey);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lets a registered client obtain a DPoP-bound token and act for an active professional of its site', async () => {
    expect(await callSession(await client.token(), directory.active)).toBe(200);
    const events = await t.db.transaction('platform', (tx) => tx.query<{ outcome: string; credential: string }>("SELECT outcome, credential FROM auth_event WHERE kind = 'token'"));
    expect(events.rows[0]?.outcome).toBe('success');
    expect(events.rows[0]?.credential).toMatch(/^[A-Za-z0-9_-]{43}$/); // a key thumbprint, not a token
  });

  it('refuses every forged or replayed credential', async () => {
    const token = await client.token();
    const accepted = (status: number): boolean => status === 200;
    const attacks: [string, () => Promise<boolean>][] = [
      ['jeton volé rejoué sans sa clé DPoP', async () => accepted(await callSession(token, directory.active, null))],
      ['jeton volé avec une preuve signée par la clé de l’attaquant', async () =>
        accepted(await callSession(token, directory.active, await client.proof('GET', SESSION, { key: attackerKey, token })))],
      ['preuve DPoP réutilisée', async () => {
        const once = await client.proof('GET', SESSION, { token });
        await callSession(token, directory.active, once);
        return accepted(await callSession(token, directory.active, once));
      }],
      ['preuve DPoP pour une autre URL', async () => accepted(await callSession(token, directory.active, await client.proof('GET', '/api/v1/autre', { token })))],
      ['preuve DPoP périmée', async () => accepted(await callSession(token, directory.active, await client.proof('GET', SESSION, { token, ageSeconds: 600 })))],
      ['assertion de client expirée', async () => accepted((await client.requestToken(await client.assertion({ ageSeconds: 900 }), await client.proof('POST', TOKEN_PATH))).status)],
      ['assertion de client rejouée', async () => {
        const jti = randomUUID();
        await client.requestToken(await client.assertion({ jti }), await client.proof('POST', TOKEN_PATH));
        return accepted((await client.requestToken(await client.assertion({ jti }), await client.proof('POST', TOKEN_PATH))).status);
      }],
      ['assertion signée par une clé non enregistrée', async () =>
        accepted((await client.requestToken(await client.assertion({ key: attackerKey }), await client.proof('POST', TOKEN_PATH))).status)],
      ['jeton demandé sans preuve DPoP', async () => accepted((await client.requestToken(await client.assertion(), undefined)).status)],
      ['client du site A agissant pour un professionnel du site B', async () => accepted(await callSession(token, directory.elsewhere))],
      ['professionnel dont l’activité a pris fin hier', async () => accepted(await callSession(token, directory.departed))],
      ['jeton expiré (plus de 5 minutes)', async () => {
        const saved = clock.now;
        clock.now = new Date(saved.getTime() + 6 * 60_000);
        const outcome = accepted(await callSession(token, directory.active));
        clock.now = saved;
        return outcome;
      }],
    ];
    const acceptedAttacks: string[] = [];
    for (const [kind, attempt] of attacks) if (await attempt()) acceptedAttacks.push(kind);
    expect(acceptedAttacks).toEqual([]);
    // The refusals were the attacks' doing: the same token, properly used, still works.
    expect(await callSession(token, directory.active)).toBe(200);
    const failures = await t.db.transaction('platform', (tx) => tx.query("SELECT 1 FROM auth_event WHERE outcome = 'failure'"));
    expect(failures.rowCount).toBeGreaterThanOrEqual(attacks.length);
  });

  it('rotates a client’s keys without downtime: old and new both valid, then the old one retired', async () => {
    const renewed = await keyPair();
    const register = (keys: KeyPair[]): Promise<void> =>
      registerClient(t.db, { clientId: 'lgo-pharmacie-a', siteId: directory.siteA, name: 'LGO A', jwks: { keys: keys.map((k) => k.jwk) } });
    const status = async (key: KeyPair): Promise<number> =>
      (await client.requestToken(await client.assertion({ key }), await client.proof('POST', TOKEN_PATH))).status;
    await register([client.clientKey, renewed]);
    expect([await status(client.clientKey), await status(renewed)]).toEqual([200, 200]);
    await register([renewed]);
    expect([await status(client.clientKey), await status(renewed)]).toEqual([401, 200]);
    await register([client.clientKey]);
  });

  it('cuts a suspended client’s live tokens at once', async () => {
    const token = await client.token();
    expect(await setClientStatus(t.db, 'lgo-pharmacie-a', 'suspended', 'poste compromis')).toBe(true);
    expect(await callSession(token, directory.active)).toBe(401);
    expect(await setClientStatus(t.db, 'lgo-pharmacie-a', 'active', 'poste réinstallé')).toBe(true);
    expect(await callSession(await client.token(), directory.active)).toBe(200);
    const revocations = await t.db.transaction('platform', (tx) => tx.query<{ reason: string }>("SELECT reason FROM auth_event WHERE kind = 'revocation' ORDER BY id"));
    expect(revocations.rows.map((row) => row.reason)).toEqual(['suspension : poste compromis', 'rétablissement : poste réinstallé']);
  });
});
