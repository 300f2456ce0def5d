import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '../db/database.js';
import { today } from '../clock.js';
import { TOKEN_PATH } from './access.js';
import { registerClient } from './clients.js';
import { apiCallHeaders, newKeyPair, signClientAssertion, signDpopProof, tokenRequestBody, type KeyPair } from './client-software.js';
import { publicJwk } from './jwk.js';

const CLIENT_ID = 'lgo-demo';

interface DemoKeys {
  clientId: string;
  rpps: string;
  clientKey: JWK;
  dpopKey: JWK;
}

const keysFile = (home: string): string => join(home, 'demo', `${CLIENT_ID}.keys.json`);

/**
 * The demo's practice software: a pharmacy's, registered for an officine where a generated
 * pharmacist is active today (any active site if there is none), its private keys kept in
 * the demo folder (synthetic, development only).
 */
export async function createDemoClient(db: Database, home: string): Promise<void> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ site_id: number; rpps: string }>(
      `SELECT a.site_id, p.rpps FROM activity a JOIN professional p ON p.id = a.professional_id JOIN site s ON s.id = a.site_id
        WHERE active_on(a.started_on, a.ended_on, $1::date) AND NOT professional_suspended(p.id)
        ORDER BY (p.profession_code = '21' AND s.kind = 'officine') DESC, a.id LIMIT 1`,
      [today()],
    ),
  );
  const chosen = found.rows[0];
  if (!chosen) return;
  const [clientKey, dpopKey] = await Promise.all([newKeyPair(), newKeyPair()]);
  await registerClient(db, { clientId: CLIENT_ID, siteId: chosen.site_id, name: 'Logiciel de démonstration', jwks: { keys: [clientKey.jwk] } });
  const keys: DemoKeys = { clientId: CLIENT_ID, rpps: chosen.rpps, clientKey: await privateJwk(clientKey), dpopKey: await privateJwk(dpopKey) };
  writeFileSync(keysFile(home), JSON.stringify(keys, null, 2), { mode: 0o600 });
}

/** The demo's practice software, connected: a DPoP-bound token and its key, signing each call. */
export class DemoSoftware {
  constructor(
    readonly origin: string,
    readonly clientId: string,
    readonly rpps: string,
    readonly token: { value: string; expiresIn: number },
    private readonly dpopKey: KeyPair,
  ) {}

  /** One API call with a fresh single-use proof, for the demo's professional. */
  async call(method: string, path: string, body?: object, contentType = 'application/json'): Promise<{ status: number; json: unknown }> {
    const url = `${this.origin}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        ...apiCallHeaders(this.token.value, await signDpopProof(this.dpopKey, method, url, new Date(), { token: this.token.value }), this.rpps),
        ...(body ? { 'content-type': contentType } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: await response.json() };
  }
}

/** Obtains a token with the demo software's own key (private_key_jwt), bound to its DPoP key. */
export async function connectDemoClient(home: string, origin: string): Promise<DemoSoftware> {
  const keys = JSON.parse(readFileSync(keysFile(home), 'utf8')) as DemoKeys;
  const [clientKey, dpopKey] = await Promise.all([keyPairOf(keys.clientKey), keyPairOf(keys.dpopKey)]);
  const tokenUrl = `${origin}${TOKEN_PATH}`;
  const tokenResponse = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await signDpopProof(dpopKey, 'POST', tokenUrl, new Date()) },
    body: tokenRequestBody(await signClientAssertion(clientKey, keys.clientId, tokenUrl, new Date())),
  });
  const issued = (await tokenResponse.json()) as { access_token?: string; expires_in?: number; message?: string };
  if (!issued.access_token) throw new Error(`Jeton refusé (${tokenResponse.status}) : ${issued.message ?? ''}`);
  return new DemoSoftware(origin, keys.clientId, keys.rpps, { value: issued.access_token, expiresIn: issued.expires_in ?? 0 }, dpopKey);
}

async function privateJwk(pair: KeyPair): Promise<JWK> {
  return { ...(await exportJWK(pair.privateKey)), kid: pair.jwk.kid ?? '' };
}

async function keyPairOf(jwk: JWK): Promise<KeyPair> {
  return { privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey, jwk: { ...publicJwk(jwk), kid: jwk.kid ?? '', alg: 'ES256' } };
}
