import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '../db/database.js';
import { today } from '../clock.js';
import { TOKEN_PATH } from './access.js';
import { registerClient } from './clients.js';
import { apiCallHeaders, newKeyPair, signClientAssertion, signDpopProof, tokenRequestBody, type KeyPair } from './client-software.js';
import { publicJwk } from './jwk.js';

/** The demo's practice software at the counter: a pharmacy's, the one `demo-client` plays first. */
export const PHARMACY_SOFTWARE = 'lgo-demo';
/** An optician's, for the quote and its prior agreement (opticians only see optics, practice-domains.ts). */
export const OPTICIAN_SOFTWARE = 'lgo-demo-optique';

/** Where each demo software is installed: the profession and the kind of site it looks for. */
const installs = [
  { clientId: PHARMACY_SOFTWARE, profession: '21', siteKind: 'officine', name: 'Logiciel de démonstration' },
  { clientId: OPTICIAN_SOFTWARE, profession: '28', siteKind: 'centre_optique', name: 'Logiciel d’opticien de démonstration' },
] as const;

interface DemoKeys {
  clientId: string;
  rpps: string;
  clientKey: JWK;
  dpopKey: JWK;
}

const keysFile = (home: string, clientId: string): string => join(home, 'demo', `${clientId}.keys.json`);

/**
 * The demo's practice softwares: a pharmacy's and an optician's, each registered for a site
 * of its kind where a generated professional of its profession is active today (any active
 * site if there is none), their private keys kept in the demo folder (synthetic, development only).
 */
export async function createDemoClient(db: Database, home: string): Promise<void> {
  for (const install of installs) {
    const found = await db.transaction('platform', (tx) =>
      tx.query<{ site_id: number; rpps: string }>(
        `SELECT a.site_id, p.rpps FROM activity a JOIN professional p ON p.id = a.professional_id JOIN site s ON s.id = a.site_id
          WHERE active_on(a.started_on, a.ended_on, $1::date) AND NOT professional_suspended(p.id)
          ORDER BY (p.profession_code = $2 AND s.kind = $3) DESC, a.id LIMIT 1`,
        [today(), install.profession, install.siteKind],
      ),
    );
    const chosen = found.rows[0];
    if (!chosen) return;
    const [clientKey, dpopKey] = await Promise.all([newKeyPair(), newKeyPair()]);
    await registerClient(db, { clientId: install.clientId, siteId: chosen.site_id, name: install.name, jwks: { keys: [clientKey.jwk] } });
    const keys: DemoKeys = { clientId: install.clientId, rpps: chosen.rpps, clientKey: await privateJwk(clientKey), dpopKey: await privateJwk(dpopKey) };
    writeFileSync(keysFile(home, install.clientId), JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
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

  /** One API call with a fresh single-use proof, for the demo's professional; `headers` adds to the call's own (a `Prefer`, say). */
  async call(method: string, path: string, body?: object, contentType = 'application/json', headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const url = `${this.origin}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        ...headers,
        ...apiCallHeaders(this.token.value, await signDpopProof(this.dpopKey, method, url, new Date(), { token: this.token.value }), this.rpps),
        ...(body ? { 'content-type': contentType } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: await response.json() };
  }
}

/**
 * Obtains a token with the demo software's own key (private_key_jwt), bound to its DPoP key,
 * at the token endpoint the platform's metadata names (RFC 8414), as a vendor's library would.
 */
export async function connectDemoClient(home: string, origin: string, clientId: string = PHARMACY_SOFTWARE): Promise<DemoSoftware> {
  const keys = JSON.parse(readFileSync(keysFile(home, clientId), 'utf8')) as DemoKeys;
  const [clientKey, dpopKey] = await Promise.all([keyPairOf(keys.clientKey), keyPairOf(keys.dpopKey)]);
  const tokenUrl = await tokenEndpointOf(origin);
  const tokenResponse = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await signDpopProof(dpopKey, 'POST', tokenUrl, new Date()) },
    body: tokenRequestBody(await signClientAssertion(clientKey, keys.clientId, tokenUrl, new Date())),
  });
  const issued = (await tokenResponse.json()) as { access_token?: string; expires_in?: number; message?: string };
  if (!issued.access_token) throw new Error(`Jeton refusé (${tokenResponse.status}) : ${issued.message ?? ''}`);
  return new DemoSoftware(origin, keys.clientId, keys.rpps, { value: issued.access_token, expiresIn: issued.expires_in ?? 0 }, dpopKey);
}

/**
 * Assertions and proofs name the platform by its public origin: called by another address
 * (127.0.0.1 for localhost, another port), every one would be refused as if forged. Said
 * plainly here instead.
 */
async function tokenEndpointOf(origin: string): Promise<string> {
  const metadata = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as { issuer?: string };
  if (metadata.issuer !== origin) {
    throw new Error(`La plateforme jointe à ${origin} se nomme ${metadata.issuer ?? '(inconnue)'} (REMPART_PUBLIC_URL) : appelez-la par ce nom, --url ${metadata.issuer ?? ''}`);
  }
  return `${origin}${TOKEN_PATH}`;
}

async function privateJwk(pair: KeyPair): Promise<JWK> {
  return { ...(await exportJWK(pair.privateKey)), kid: pair.jwk.kid ?? '' };
}

async function keyPairOf(jwk: JWK): Promise<KeyPair> {
  return { privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey, jwk: { ...publicJwk(jwk), kid: jwk.kid ?? '', alg: 'ES256' } };
}
