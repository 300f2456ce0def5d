import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { tokenHash } from './dpop.js';
import { publicJwk } from './jwk.js';
import { PROFESSIONAL_HEADER } from './request-context.js';

/**
 * The practice-software side of the protocol, as a vendor implements it: a reference for
 * integrators, and what the demo and the tests drive. Keys never leave their holder.
 */
export interface KeyPair {
  privateKey: CryptoKey;
  /** The public half, as published in the client's key set. */
  jwk: JWK;
}

export async function newKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' } };
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** private_key_jwt (RFC 7523): the client proves who it is to the token endpoint. */
export async function signClientAssertion(
  key: KeyPair,
  clientId: string,
  tokenEndpoint: string,
  now: Date,
  options: { ageSeconds?: number; jti?: string } = {},
): Promise<string> {
  const iat = seconds(now) - (options.ageSeconds ?? 0);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid ?? '' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenEndpoint)
    .setJti(options.jti ?? randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + 120)
    .sign(key.privateKey);
}

/** A DPoP proof (RFC 9449) for one request; with `token`, bound to it by its hash. Its `htu` is the URL without query or fragment, as §4.2 says. */
export async function signDpopProof(
  key: KeyPair,
  method: string,
  url: string,
  now: Date,
  options: { token?: string; ageSeconds?: number } = {},
): Promise<string> {
  const claims = { htm: method, htu: url.split(/[?#]/)[0], ...(options.token ? { ath: tokenHash(options.token) } : {}) };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk(key.jwk) })
    .setJti(randomUUID())
    .setIssuedAt(seconds(now) - (options.ageSeconds ?? 0))
    .sign(key.privateKey);
}

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The token request's form body. */
export function tokenRequestBody(assertion: string): string {
  return new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }).toString();
}

/**
 * The headers of an API call: the DPoP-bound token, its proof for this request (none, to
 * show a refusal), and the professional acting through the software.
 */
export function apiCallHeaders(token: string, proof: string | null, rpps: string): Record<string, string> {
  return { authorization: `DPoP ${token}`, [PROFESSIONAL_HEADER]: rpps, ...(proof === null ? {} : { dpop: proof }) };
}
