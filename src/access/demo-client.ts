import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '../db/database.js';
import { TOKEN_PATH } from './access.js';
import { registerClient } from './clients.js';
import { newKeyPair, signClientAssertion, signDpopProof, tokenRequestBody, type KeyPair } from './client-software.js';
import { publicJwk } from './jwk.js';
import { PROFESSIONAL_HEADER } from './request-context.js';

const CLIENT_ID = 'lgo-demo';

interface DemoKeys {
  clientId: string;
  rpps: string;
  clientKey: JWK;
  dpopKey: JWK;
}

const keysFile = (home: string): string => join(home, 'demo', `${CLIENT_ID}.keys.json`);

/**
 * The demo's practice software: registered for a site where a generated professional is
 * active today, its private keys kept in the demo folder (synthetic, development only).
 */
export async function createDemoClient(db: Database, home: string): Promise<void> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ site_id: number; rpps: string }>(
      `SELECT a.site_id, p.rpps FROM activity a JOIN professional p ON p.id = a.professional_id
        WHERE a.ended_on IS NULL AND a.started_on <= (now() AT TIME ZONE 'UTC')::date ORDER BY a.id LIMIT 1`,
    ),
  );
  const chosen = found.rows[0];
  if (!chosen) return;
  const [clientKey, dpopKey] = await Promise.all([newKeyPair(), newKeyPair()]);
  await registerClient(db, { clientId: CLIENT_ID, siteId: chosen.site_id, name: 'Logiciel de démonstration', jwks: { keys: [clientKey.jwk] } });
  const keys: DemoKeys = { clientId: CLIENT_ID, rpps: chosen.rpps, clientKey: await privateJwk(clientKey), dpopKey: await privateJwk(dpopKey) };
  writeFileSync(keysFile(home), JSON.stringify(keys, null, 2), { mode: 0o600 });
}

/** Plays the practice software against a running platform: token, then one signed call. */
export async function runDemoClient(home: string, origin: string): Promise<string[]> {
  const keys = JSON.parse(readFileSync(keysFile(home), 'utf8')) as DemoKeys;
  const [clientKey, dpopKey] = await Promise.all([keyPairOf(keys.clientKey), keyPairOf(keys.dpopKey)]);
  const tokenUrl = `${origin}${TOKEN_PATH}`;
  const tokenResponse = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await signDpopProof(dpopKey, 'POST', tokenUrl, new Date()) },
    body: tokenRequestBody(await signClientAssertion(clientKey, keys.clientId, tokenUrl, new Date())),
  });
  const issued = (await tokenResponse.json()) as { access_token?: string; token_type?: string; expires_in?: number; message?: string };
  if (!issued.access_token) return [`Jeton refusé (${tokenResponse.status}) : ${issued.message ?? ''}`];
  const sessionUrl = `${origin}/api/v1/session`;
  const session = await fetch(sessionUrl, {
    headers: {
      authorization: `DPoP ${issued.access_token}`,
      dpop: await signDpopProof(dpopKey, 'GET', sessionUrl, new Date(), { token: issued.access_token }),
      [PROFESSIONAL_HEADER]: keys.rpps,
    },
  });
  return [
    `Jeton ${issued.token_type ?? ''} obtenu par ${keys.clientId} (private_key_jwt), valable ${issued.expires_in ?? 0} s, lié à sa clé DPoP.`,
    `GET /api/v1/session → ${session.status} ${JSON.stringify(await session.json())}`,
  ];
}

async function privateJwk(pair: KeyPair): Promise<JWK> {
  return { ...(await exportJWK(pair.privateKey)), kid: pair.jwk.kid ?? '' };
}

async function keyPairOf(jwk: JWK): Promise<KeyPair> {
  return { privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey, jwk: { ...publicJwk(jwk), kid: jwk.kid ?? '', alg: 'ES256' } };
}
