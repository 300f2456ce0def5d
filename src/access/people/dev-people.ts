import { exportJWK, generateKeyPair } from 'jose';
import type { Database } from '../../db/database.js';
import { createDevIdp, DEV_IDP_PATH } from './dev-idp.js';
import { OidcLogin } from './oidc-login.js';
import { Passkeys } from './passkeys.js';
import type { People } from './people.js';

const PLATFORM_CLIENT_ID = 'rempart';

/**
 * People's logins for development, tests and the demo: the local PSC stand-in mounted on
 * the platform itself, and the platform registered there with a key made for this run.
 */
export async function devPeople(db: Database, origin: string): Promise<People> {
  const [platformKey, providerKey] = await Promise.all([
    generateKeyPair('ES256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
  ]);
  const redirectUri = `${origin}/auth/callback`;
  const devIdp = await createDevIdp(db, {
    origin,
    client: { id: PLATFORM_CLIENT_ID, jwk: { ...(await exportJWK(platformKey.publicKey)), alg: 'ES256', use: 'sig' }, redirectUri },
    signingKey: { ...(await exportJWK(providerKey.privateKey)), alg: 'ES256', use: 'sig', kid: 'dev-idp' },
  });
  const login = new OidcLogin(db, {
    issuer: `${origin}${DEV_IDP_PATH}`,
    clientId: PLATFORM_CLIENT_ID,
    clientKey: platformKey.privateKey,
    redirectUri,
    acceptedAcr: ['eidas1'],
    allowHttp: origin.startsWith('http:'),
  });
  const passkeys = new Passkeys(db, { rpID: new URL(origin).hostname, origin });
  return { login, passkeys, devIdp, secureCookies: origin.startsWith('https:') };
}
