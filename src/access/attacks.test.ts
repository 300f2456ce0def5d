import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { generateFiness, generateRpps } from '../domain/identifiers/generate.js';
import { seededRng } from '../domain/random.js';
import { buildServer } from '../http/server.js';
import { TOKEN_PATH } from './access.js';
import { registerClient } from './clients.js';
import { tokenHash } from './dpop.js';
import { PROFESSIONAL_HEADER } from './request-context.js';
import { TEST_ORIGIN, testAccess } from './test-support/access.js';

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' } };
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

async function seedDirectory(db: Database): Promise<{ siteA: number; siteB: number; active: string; elsewhere: string; departed: string }> {
  const rng = seededRng('attacks');
  const [active, elsewhere, departed] = [generateRpps(rng), generateRpps(rng), generateRpps(rng)];
  return db.transaction('platform', async (tx) => {
    const sites = await tx.query<{ id: number }>(
      `INSERT INTO site (finess, name, kind, department) VALUES ($1, 'Pharmacie A', 'officine', '75'), ($2, 'Pharmacie B', 'officine', '69') RETURNING id`,
      [generateFiness(rng, '75'), generateFiness(rng, '69')],
    );
    const [siteA, siteB] = sites.rows.map((row) => row.id) as [number, number];
    const people = await tx.query<{ id: number }>(
      `INSERT INTO professional (rpps, profession_code, last_name, first_name) VALUES ($1, '21', 'A', 'A'), ($2, '21', 'B', 'B'), ($3, '21', 'C', 'C') RETURNING id`,
      [active, elsewhere, departed],
    );
    const [p1, p2, p3] = people.rows.map((row) => row.id) as [number, number, number];
    await tx.query(
      `INSERT INTO activity (professional_id, site_id, role, started_on, ended_on) VALUES
         ($1, $4, 'titulaire', '2020-01-01', NULL), ($2, $5, 'titulaire', '2020-01-01', NULL),
         ($3, $4, 'salarie', '2020-01-01', (now() AT TIME ZONE 'UTC')::date - 1)`,
      [p1, p2, p3, siteA, siteB],
    );
    return { siteA, siteB, active, elsewhere, departed };
  });
}

describe('practice software cannot be impersonated (THREATS.md 1, 6)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const clock = { now: new Date() };
  let directory: Awaited<ReturnType<typeof seedDirectory>>;
  let clientKey: KeyPair;
  let dpopKey: KeyPair;
  let attackerKey: KeyPair;
  const tally = new Map<string, { attempted: number; accepted: number }>();

  function record(kind: string, accepted: boolean): void {
    const entry = tally.get(kind) ?? { attempted: 0, accepted: 0 };
    entry.attempted += 1;
    if (accepted) entry.accepted += 1;
    tally.set(kind, entry);
  }

  async function assertion(options: { key?: KeyPair; clientId?: string; ageSeconds?: number; jti?: string } = {}): Promise<string> {
    const iat = seconds(clock.now) - (options.ageSeconds ?? 0);
    const clientId = options.clientId ?? 'lgo-pharmacie-a';
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: (options.key ?? clientKey).jwk.kid ?? '' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(`${TEST_ORIGIN}${TOKEN_PATH}`)
      .setJti(options.jti ?? randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + 120)
      .sign((options.key ?? clientKey).privateKey);
  }

  async function proof(method: string, path: string, options: { key?: KeyPair; token?: string; ageSeconds?: number } = {}): Promise<string> {
    const key = options.key ?? dpopKey;
    const claims = { htm: method, htu: `${TEST_ORIGIN}${path}`, ...(options.token ? { ath: tokenHash(options.token) } : {}) };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: key.jwk.kty, crv: key.jwk.crv, x: key.jwk.x, y: key.jwk.y } })
      .setJti(randomUUID())
      .setIssuedAt(seconds(clock.now) - (options.ageSeconds ?? 0))
      .sign(key.privateKey);
  }

  async function requestToken(clientAssertion: string, dpop: string | undefined): Promise<{ status: number; token?: string }> {
    const response = await app.inject({
      method: 'POST',
      url: TOKEN_PATH,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
      }).toString(),
    });
    return { status: response.statusCode, token: (response.json<{ access_token?: string }>()).access_token };
  }

  async function token(): Promise<string> {
    const issued = await requestToken(await assertion(), await proof('POST', TOKEN_PATH));
    expect(issued.status).toBe(200);
    return issued.token ?? '';
  }

  async function callSession(accessToken: string, dpop: string | undefined, rpps: string): Promise<number> {
    const headers: Record<string, string> = { authorization: `DPoP ${accessToken}`, [PROFESSIONAL_HEADER]: rpps };
    if (dpop) headers.dpop = dpop;
    return (await app.inject({ method: 'GET', url: '/api/v1/session', headers })).statusCode;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    [clientKey, dpopKey, attackerKey] = await Promise.all([keyPair(), keyPair(), keyPair()]);
    await registerClient(t.db, { clientId: 'lgo-pharmacie-a', siteId: directory.siteA, name: 'LGO A', jwks: { keys: [clientKey.jwk] } });
    app = await buildServer({ access: await testAccess(t.db, clock) });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lets a registered client obtain a DPoP-bound token and act for an active professional of its site', async () => {
    const accessToken = await token();
    expect(await callSession(accessToken, await proof('GET', '/api/v1/session', { token: accessToken }), directory.active)).toBe(200);
    const events = await t.db.transaction('platform', (tx) => tx.query<{ outcome: string; credential: string }>("SELECT outcome, credential FROM auth_event WHERE kind = 'token'"));
    expect(events.rows[0]?.outcome).toBe('success');
    expect(events.rows[0]?.credential).toMatch(/^[A-Za-z0-9_-]{43}$/); // a key thumbprint, not a token
  });

  it('refuses every forged or replayed credential', async () => {
    const accessToken = await token();
    const url = '/api/v1/session';
    const attacks: [string, () => Promise<boolean>][] = [
      ['jeton volé rejoué sans sa clé DPoP', async () => (await callSession(accessToken, undefined, directory.active)) === 200],
      ['jeton volé avec une preuve signée par la clé de l’attaquant', async () =>
        (await callSession(accessToken, await proof('GET', url, { key: attackerKey, token: accessToken }), directory.active)) === 200],
      ['preuve DPoP réutilisée', async () => {
        const once = await proof('GET', url, { token: accessToken });
        await callSession(accessToken, once, directory.active);
        return (await callSession(accessToken, once, directory.active)) === 200;
      }],
      ['preuve DPoP pour une autre URL', async () => (await callSession(accessToken, await proof('GET', '/api/v1/autre', { token: accessToken }), directory.active)) === 200],
      ['preuve DPoP périmée', async () => (await callSession(accessToken, await proof('GET', url, { token: accessToken, ageSeconds: 600 }), directory.active)) === 200],
      ['assertion de client expirée', async () => (await requestToken(await assertion({ ageSeconds: 900 }), await proof('POST', TOKEN_PATH))).status === 200],
      ['assertion de client rejouée', async () => {
        const jti = randomUUID();
        await requestToken(await assertion({ jti }), await proof('POST', TOKEN_PATH));
        return (await requestToken(await assertion({ jti }), await proof('POST', TOKEN_PATH))).status === 200;
      }],
      ['assertion signée par une clé non enregistrée', async () => (await requestToken(await assertion({ key: attackerKey }), await proof('POST', TOKEN_PATH))).status === 200],
      ['jeton sans preuve DPoP à l’émission', async () => (await requestToken(await assertion(), undefined)).status === 200],
      ['client du site A agissant pour un professionnel du site B', async () =>
        (await callSession(accessToken, await proof('GET', url, { token: accessToken }), directory.elsewhere)) === 200],
      ['professionnel dont l’activité a pris fin hier', async () =>
        (await callSession(accessToken, await proof('GET', url, { token: accessToken }), directory.departed)) === 200],
      ['jeton expiré (plus de 5 minutes)', async () => {
        const saved = clock.now;
        clock.now = new Date(saved.getTime() + 6 * 60_000);
        const accepted = (await callSession(accessToken, await proof('GET', url, { token: accessToken }), directory.active)) === 200;
        clock.now = saved;
        return accepted;
      }],
    ];
    for (const [kind, attempt] of attacks) record(kind, await attempt());
    expect([...tally.entries()].filter(([, entry]) => entry.accepted > 0)).toEqual([]);
    // The refusals were the attacks' doing: the same token, properly used, still works.
    expect(await callSession(accessToken, await proof('GET', url, { token: accessToken }), directory.active)).toBe(200);
    expect(tally.size).toBe(attacks.length);
    const failures = await t.db.transaction('platform', (tx) => tx.query("SELECT 1 FROM auth_event WHERE outcome = 'failure'"));
    expect(failures.rowCount).toBeGreaterThanOrEqual(attacks.length);
  });

  it('cuts a suspended client’s live tokens at once', async () => {
    const accessToken = await token();
    await t.db.transaction('platform', (tx) => tx.query("UPDATE client SET status = 'suspended' WHERE client_id = 'lgo-pharmacie-a'"));
    expect(await callSession(accessToken, await proof('GET', '/api/v1/session', { token: accessToken }), directory.active)).toBe(401);
    await t.db.transaction('platform', (tx) => tx.query("UPDATE client SET status = 'active' WHERE client_id = 'lgo-pharmacie-a'"));
  });
});
