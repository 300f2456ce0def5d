import * as oidc from 'openid-client';
import type { CryptoKey } from 'jose';
import type { Database } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { rppsOf, type PscUserInfo } from './psc-identity.js';
import { STRONG_PROOF_SECONDS } from './strong-proof.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** The platform's private key for private_key_jwt at the provider's token endpoint. */
  clientKey: CryptoKey;
  redirectUri: string;
  /** Authentication levels accepted (PSC `acr`), e.g. eidas1. */
  acceptedAcr: readonly string[];
  /** Development only: the local provider speaks plain HTTP. */
  allowHttp: boolean;
}

const ATTEMPT_SECONDS = 600;

/** A professional by RPPS, or a staff member by the provider's subject. */
export type LoginIdentity = { rpps: string } | { subject: string };

/** A completed login: who, at which level, and when the provider authenticated them (null if it did not say). */
export interface CompletedLogin {
  identity: LoginIdentity;
  acr: string;
  authenticatedAt: Date | null;
}

/**
 * Login through a Pro Santé Connect-style provider: authorization code with PKCE, state
 * and nonce kept server-side and used once, the client authenticated by its key, the
 * authentication level checked, the identity read from userinfo. Every login asks the
 * provider to authenticate the person again (`prompt=login`, `max_age`): a login is a
 * strong proof of presence only at the provider's `auth_time`, which the session keeps.
 */
export class OidcLogin {
  private config: oidc.Configuration | undefined;

  constructor(
    private readonly db: Database,
    private readonly settings: OidcSettings,
  ) {}

  async authorizationUrl(): Promise<string> {
    const config = await this.configuration();
    const [state, nonce, verifier] = [oidc.randomState(), oidc.randomNonce(), oidc.randomPKCECodeVerifier()];
    await this.db.transaction('platform', async (tx) => {
      // Abandoned attempts are swept here, so the table holds at most ten minutes of them.
      await tx.query('DELETE FROM login_attempt WHERE created_at < $1', [new Date(Date.now() - ATTEMPT_SECONDS * 1000)]);
      await tx.query('INSERT INTO login_attempt (state, nonce, code_verifier) VALUES ($1, $2, $3)', [state, nonce, verifier]);
    });
    return oidc
      .buildAuthorizationUrl(config, {
        redirect_uri: this.settings.redirectUri,
        scope: 'openid scope_all',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        acr_values: this.settings.acceptedAcr.join(' '),
        prompt: 'login',
        max_age: String(STRONG_PROOF_SECONDS),
      })
      .toString();
  }

  /**
   * Completes a login from the provider's redirect; returns who logged in: a professional
   * (RPPS in `SubjectNameID`) or another person known by the provider's `sub` (staff).
   */
  async complete(callbackUrl: URL, now: Date): Promise<CompletedLogin> {
    const config = await this.configuration();
    const attempt = await this.takeAttempt(callbackUrl.searchParams.get('state') ?? '', now);
    const tokens = await oidc
      .authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: attempt.code_verifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      })
      .catch(() => {
        throw new RempartError('AUTH_LOGIN_FAILED', 'échange du code refusé');
      });
    const claims = tokens.claims();
    const acr = typeof claims?.acr === 'string' ? claims.acr : '';
    if (!this.settings.acceptedAcr.includes(acr)) throw new RempartError('AUTH_LOGIN_FAILED', `niveau d'authentification « ${acr} » insuffisant`);
    const userInfo = (await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? oidc.skipSubjectCheck)) as Partial<PscUserInfo>;
    const rpps = rppsOf(userInfo);
    const subject = claims?.sub;
    const authenticatedAt = authTimeOf(claims?.auth_time, now);
    if (rpps) return { identity: { rpps }, acr, authenticatedAt };
    if (!subject) throw new RempartError('AUTH_LOGIN_FAILED', 'identité sans sujet');
    return { identity: { subject }, acr, authenticatedAt };
  }

  private async takeAttempt(state: string, now: Date): Promise<{ state: string; nonce: string; code_verifier: string }> {
    const taken = await this.db.transaction('platform', (tx) =>
      tx.query<{ state: string; nonce: string; code_verifier: string }>(
        'DELETE FROM login_attempt WHERE state = $1 AND created_at > $2 RETURNING state, nonce, code_verifier',
        [state, new Date(now.getTime() - ATTEMPT_SECONDS * 1000)],
      ),
    );
    const attempt = taken.rows[0];
    if (!attempt) throw new RempartError('AUTH_LOGIN_FAILED', 'tentative inconnue, expirée ou déjà utilisée');
    return attempt;
  }

  /** Discovered once; an unreachable provider is a clear 503, and is asked again next time. */
  private async configuration(): Promise<oidc.Configuration> {
    this.config ??= await oidc
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        { id_token_signed_response_alg: 'ES256' },
        oidc.PrivateKeyJwt(this.settings.clientKey),
        this.settings.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch(() => {
        throw new RempartError('AUTH_PROVIDER_UNAVAILABLE', this.settings.issuer);
      });
    return this.config;
  }
}

/**
 * When the provider says it authenticated the person (`auth_time`, seconds), never later
 * than now (a provider's clock ahead of ours would otherwise stretch the proof's life);
 * null without one: such a login opens a session but enrols nothing.
 */
export function authTimeOf(authTime: unknown, now: Date): Date | null {
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) return null;
  return new Date(Math.min(authTime * 1000, now.getTime()));
}
