import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { findClient, type Client } from './clients.js';
import type { ReplayGuard } from './replay-cache.js';

export const ASSERTION_ALGORITHMS = ['ES256', 'EdDSA', 'PS256', 'RS256'];
const ASSERTION_MAX_AGE_SECONDS = 300;
/** The pharmacy's PC is not the platform's clock. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Authenticates a client by its signed assertion (private_key_jwt, RFC 7523): signed by
 * one of its registered keys, issued by and about itself, for our token endpoint, at most
 * five minutes old, expiring within five minutes, and used once. There is no shared
 * secret to phish or to leak.
 */
export async function authenticateClient(db: Database, assertion: string, audience: string, now: Date, replay: ReplayGuard): Promise<Client> {
  const claimed = claimedClientId(assertion);
  const client = await findClient(db, claimed);
  if (!client || client.status !== 'active') throw new RempartError('AUTH_CLIENT_INVALID', 'client inconnu ou suspendu');
  const { payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
    issuer: client.clientId,
    subject: client.clientId,
    audience,
    algorithms: ASSERTION_ALGORITHMS,
    currentDate: now,
    // With maxTokenAge, jose also refuses an `iat` in the future beyond the tolerance.
    maxTokenAge: ASSERTION_MAX_AGE_SECONDS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['jti', 'exp', 'iat'],
  }).catch(() => {
    throw new RempartError('AUTH_CLIENT_INVALID', 'assertion invalide ou expirée');
  });
  // A long-lived assertion is a credential worth stealing and sending from elsewhere, and
  // the replay guard must remember each one until it expires: five minutes, as documented.
  if ((payload.exp ?? 0) > Math.floor(now.getTime() / 1000) + ASSERTION_MAX_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw new RempartError('AUTH_CLIENT_INVALID', 'expiration à plus de cinq minutes');
  }
  if (!(await replay.firstUse(`assertion:${client.clientId}:${String(payload.jti)}`, (payload.exp ?? 0) * 1000, now.getTime()))) {
    throw new RempartError('AUTH_CLIENT_INVALID', 'assertion déjà utilisée');
  }
  return client;
}

/** Who the assertion says it is: only used to find the keys that will verify it. */
function claimedClientId(assertion: string): string {
  try {
    const { iss } = decodeJwt(assertion);
    if (typeof iss === 'string') return iss;
  } catch {
    // fall through to the refusal below
  }
  throw new RempartError('AUTH_CLIENT_INVALID', 'assertion illisible');
}
