import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../app/server.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { AUTHORIZATION_SERVER_METADATA_PATH } from '../access.js';
import { CLIENT_ASSERTION_TYPE } from '../client-software.js';
import { registerClient } from '../clients.js';
import { TEST_ORIGIN, testAccess, testVault } from '../test-support/access.js';
import { seedDirectory } from '../test-support/client.js';

interface Metadata {
  issuer: string;
  token_endpoint: string;
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  grant_types_supported: string[];
  response_types_supported: string[];
  dpop_signing_alg_values_supported: string[];
}

const CLIENT_ID = 'lgo-metadonnees';

/** A key pair for one algorithm, its public half as a JWK that names it. */
async function keyFor(alg: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), alg } };
}

const seconds = (): number => Math.floor(Date.now() / 1000);

describe('the authorization server’s metadata (RFC 8414)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let metadata: Metadata;
  let cacheControl: string | undefined;
  /** The client's registered keys, one per advertised assertion algorithm. */
  let assertionKeys: { privateKey: CryptoKey; jwk: JWK }[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    const directory = await seedDirectory(t.db);
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db) });
    const response = await app.inject({ method: 'GET', url: AUTHORIZATION_SERVER_METADATA_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    cacheControl = response.headers['cache-control'];
    metadata = response.json<Metadata>();
    assertionKeys = await Promise.all(metadata.token_endpoint_auth_signing_alg_values_supported.map(keyFor));
    await registerClient(t.db, { clientId: CLIENT_ID, siteId: directory.siteA, name: 'LGO', jwks: { keys: assertionKeys.map((key) => key.jwk) } });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  /** A token request built from the metadata alone: assertion for its token endpoint, proof for it. */
  async function tokenStatus(assertionKey: { privateKey: CryptoKey; jwk: JWK }, proofAlg: string): Promise<number> {
    const endpoint = metadata.token_endpoint;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: assertionKey.jwk.alg ?? '' })
      .setIssuer(CLIENT_ID)
      .setSubject(CLIENT_ID)
      .setAudience(endpoint)
      .setJti(randomUUID())
      .setIssuedAt(seconds())
      .setExpirationTime(seconds() + 120)
      .sign(assertionKey.privateKey);
    const proofKey = await keyFor(proofAlg);
    const proof = await new SignJWT({ htm: 'POST', htu: endpoint })
      .setProtectedHeader({ alg: proofAlg, typ: 'dpop+jwt', jwk: proofKey.jwk })
      .setJti(randomUUID())
      .setIssuedAt(seconds())
      .sign(proofKey.privateKey);
    const body = new URLSearchParams({ grant_type: metadata.grant_types_supported[0] ?? '', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion });
    const response = await app.inject({
      method: 'POST',
      url: new URL(endpoint).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
      payload: body.toString(),
    });
    return response.statusCode;
  }

  it('is public, cacheable, and names the issuer, the token endpoint, private_key_jwt, client_credentials and DPoP', () => {
    expect(cacheControl).toMatch(/^public, max-age=\d+$/);
    expect(metadata).toEqual({
      issuer: TEST_ORIGIN,
      token_endpoint: `${TEST_ORIGIN}/oauth/token`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: expect.arrayContaining(['ES256']) as string[],
      grant_types_supported: ['client_credentials'],
      response_types_supported: [],
      dpop_signing_alg_values_supported: expect.arrayContaining(['ES256']) as string[],
    });
  });

  it('tells the truth: a client signing with each advertised algorithm, and proving with each, gets its token', async () => {
    const [first] = assertionKeys;
    if (!first) throw new Error('aucun algorithme d’assertion annoncé');
    const statuses: string[] = [];
    for (const key of assertionKeys) statuses.push(`${key.jwk.alg ?? ''} ${await tokenStatus(key, 'ES256')}`);
    for (const alg of metadata.dpop_signing_alg_values_supported) statuses.push(`DPoP ${alg} ${await tokenStatus(first, alg)}`);
    expect(statuses).toEqual([
      ...metadata.token_endpoint_auth_signing_alg_values_supported.map((alg) => `${alg} 200`),
      ...metadata.dpop_signing_alg_values_supported.map((alg) => `DPoP ${alg} 200`),
    ]);
  });
});
