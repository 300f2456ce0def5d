import { readFileSync } from 'node:fs';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '../../db/database.js';
import { devPeople } from './dev-people.js';
import { OidcLogin } from './oidc-login.js';
import { Passkeys } from './passkeys.js';
import type { People } from './people.js';

/**
 * People's logins from the environment: a real Pro Santé Connect-compatible provider when
 * REMPART_OIDC_ISSUER is set; the local stand-in in the demo; otherwise none.
 */
export async function peopleFromEnv(db: Database, origin: string, env: NodeJS.ProcessEnv, demo: boolean): Promise<People | undefined> {
  if (!env.REMPART_OIDC_ISSUER) return demo ? devPeople(db, origin) : undefined;
  const keyFile = env.REMPART_OIDC_KEY_FILE;
  if (!keyFile || !env.REMPART_OIDC_CLIENT_ID) throw new Error('REMPART_OIDC_ISSUER demande REMPART_OIDC_CLIENT_ID et REMPART_OIDC_KEY_FILE');
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const login = new OidcLogin(db, {
    issuer: env.REMPART_OIDC_ISSUER,
    clientId: env.REMPART_OIDC_CLIENT_ID,
    clientKey: (await importJWK(jwk, jwk.alg ?? 'ES256')) as CryptoKey,
    redirectUri: `${origin}/auth/callback`,
    acceptedAcr: (env.REMPART_OIDC_ACR ?? 'eidas1').split(',').map((value) => value.trim()),
    allowHttp: false,
  });
  const passkeys = new Passkeys(db, { rpID: new URL(origin).hostname, origin });
  return { login, passkeys, devIdp: undefined, secureCookies: true };
}
