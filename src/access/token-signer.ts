import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { publicJwk } from './jwk.js';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ACCESS_TOKEN_SECONDS = 300;

const VERIFIED_CACHE_SIZE = 50_000;

/** What a token is bound to: practice software's site, or a member portal's insurer. */
export type TokenBinding = { site: number } | { insurer: number };

export interface AccessClaims extends JWTPayload {
  sub: string;
  /** Practice software's site (absent from a member portal's token). */
  site?: number;
  /** A member portal's insurer (absent from practice software's token). */
  insurer?: number;
  cnf: { jkt: string };
}

/**
 * Signs and checks the platform's access tokens (ES256 JWT, ≤ 5 minutes, bound to the
 * client's DPoP key by `cnf.jkt`). Every instance must hold the same key.
 */
export class TokenSigner {
  /** Tokens already verified, oldest out (bounded). */
  private readonly verified = new Map<string, AccessClaims>();

  constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly issuer: string,
  ) {}

  static async generate(issuer: string): Promise<TokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    return new TokenSigner(privateKey, publicKey, issuer);
  }

  /** `REMPART_TOKEN_KEY_FILE`, else `<home>/token-key.jwk` created on first use (development). */
  static async fromEnv(env: NodeJS.ProcessEnv, home: string, issuer: string): Promise<TokenSigner> {
    const path = env.REMPART_TOKEN_KEY_FILE ?? join(home, 'token-key.jwk');
    if (!existsSync(path)) {
      if (env.DATABASE_URL) throw new Error('Avec DATABASE_URL, fournissez la clé de signature des jetons (REMPART_TOKEN_KEY_FILE)');
      const fresh = await TokenSigner.generate(issuer);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify(await exportJWK(fresh.privateKey)), { mode: 0o600, flag: 'wx' });
    }
    const jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
    return new TokenSigner((await importJWK(jwk, 'ES256')) as CryptoKey, (await importJWK(publicJwk(jwk), 'ES256')) as CryptoKey, issuer);
  }

  async sign(clientId: string, binding: TokenBinding, jkt: string, nowSeconds: number): Promise<string> {
    return new SignJWT({ ...binding, cnf: { jkt } })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setAudience(this.issuer)
      .setSubject(clientId)
      .setJti(randomUUID())
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + ACCESS_TOKEN_SECONDS)
      .sign(this.privateKey);
  }

  /**
   * Throws on a bad signature, issuer, audience or an expired token. A token seen before
   * is not verified again (its signature cannot have changed): only its expiry is, so a
   * practice software's calls cost one signature check per token, not per call.
   */
  async verify(token: string, now: Date): Promise<AccessClaims> {
    const seen = this.verified.get(token);
    if (seen && (seen.exp ?? 0) * 1000 > now.getTime()) return seen;
    const claims = await this.verifySignature(token, now);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value ?? '');
    this.verified.set(token, claims);
    return claims;
  }

  private async verifySignature(token: string, now: Date): Promise<AccessClaims> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: this.issuer,
      audience: this.issuer,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'jti'],
    });
    const claims = payload as Partial<AccessClaims>;
    // Exactly one binding: a token is never both a site's and an insurer's.
    if ((typeof claims.site === 'number') === (typeof claims.insurer === 'number') || typeof claims.cnf?.jkt !== 'string') throw new Error('claims incomplets');
    return claims as AccessClaims;
  }
}
