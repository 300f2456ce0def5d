import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, jwtVerify, type CryptoKey, type JWTHeaderParameters } from 'jose';
import { RempartError } from '../domain/errors/codes.js';
import type { ReplayGuard } from './replay-cache.js';

export const PROOF_ALGORITHMS = ['ES256', 'EdDSA', 'PS256'];
const PROOF_MAX_AGE_SECONDS = 60;
const KEY_CACHE_SIZE = 10_000;

/**
 * Proof keys already imported, by thumbprint: a practice software signs every proof with
 * the same key, and importing it is a good part of a proof's cost. Bounded, oldest out.
 */
const proofKeys = new Map<string, { key: CryptoKey | Uint8Array; thumbprint: string }>();

async function proofKey(header: JWTHeaderParameters): Promise<{ key: CryptoKey | Uint8Array; thumbprint: string }> {
  const jwk = header.jwk;
  // Only a public key may travel in a proof (RFC 9449 §4.3).
  if (typeof jwk !== 'object' || typeof header.alg !== 'string' || 'd' in jwk) throw new RempartError('AUTH_DPOP_INVALID', 'clé de la preuve');
  const cacheKey = `${header.alg}:${await calculateJwkThumbprint(jwk)}`;
  let entry = proofKeys.get(cacheKey);
  if (!entry) {
    entry = { key: await importJWK(jwk, header.alg), thumbprint: cacheKey.slice(header.alg.length + 1) };
    if (proofKeys.size >= KEY_CACHE_SIZE) proofKeys.delete(proofKeys.keys().next().value ?? '');
    proofKeys.set(cacheKey, entry);
  }
  return entry;
}

export interface ProofContext {
  method: string;
  /** The request's URL as the client saw it, without query or fragment (RFC 9449 `htu`). */
  url: string;
  /** When the proof accompanies an access token, it must carry its hash (`ath`). */
  accessToken?: string;
  now: Date;
}

/**
 * Checks a DPoP proof (RFC 9449): signed by the key it embeds, for this method and URL,
 * fresh, never seen before. Returns that key's thumbprint, which a token is bound to:
 * a token copied without its private key cannot produce a proof that matches.
 */
export async function verifyDpopProof(proof: string | undefined, context: ProofContext, replay: ReplayGuard): Promise<string> {
  if (!proof) throw new RempartError('AUTH_DPOP_INVALID', 'en-tête DPoP absent');
  let thumbprint = '';
  const verified = await jwtVerify(proof, async (header) => {
    const found = await proofKey(header);
    thumbprint = found.thumbprint;
    return found.key;
  }, {
    typ: 'dpop+jwt',
    algorithms: PROOF_ALGORITHMS,
    currentDate: context.now,
    maxTokenAge: PROOF_MAX_AGE_SECONDS,
    clockTolerance: 5,
    requiredClaims: ['jti', 'iat', 'htm', 'htu'],
  }).catch(() => {
    throw new RempartError('AUTH_DPOP_INVALID', 'signature, type ou fraîcheur de la preuve');
  });
  const { payload } = verified;
  if (payload.htm !== context.method || payload.htu !== context.url) throw new RempartError('AUTH_DPOP_INVALID', 'méthode ou URL');
  if (context.accessToken !== undefined && payload.ath !== tokenHash(context.accessToken)) {
    throw new RempartError('AUTH_DPOP_INVALID', 'preuve non liée à ce jeton');
  }
  const expiresAt = ((payload.iat ?? 0) + PROOF_MAX_AGE_SECONDS + 5) * 1000;
  if (!(await replay.firstUse(`dpop:${thumbprint}:${String(payload.jti)}`, expiresAt, context.now.getTime()))) {
    throw new RempartError('AUTH_DPOP_INVALID', 'preuve déjà utilisée');
  }
  return thumbprint;
}

/** `ath`: base64url SHA-256 of the access token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
