import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RempartError } from '../domain/errors/codes.js';
import { missingServerKey } from '../domain/errors/missing-key.js';
import { writeKeyFileOnce } from '../vault/key-file.js';
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

  /**
   * `REMPART_TOKEN_KEY_FILE`, which must exist; else, on the embedded store only,
   * `<home>/token-key.jwk` created on first use (development): with a server, every
   * instance must sign with the same key, which a host cannot make up alone.
   */
  static async fromEnv(env: NodeJS.ProcessEnv, home: string, issuer: string): Promise<TokenSigner> {
    const configured = env.REMPART_TOKEN_KEY_FILE;
    if (!configured && env.DATABASE_URL) throw missingServerKey('clé de signature des jetons', 'REMPART_TOKEN_KEY_FILE');
    const path = configured || join(home, 'token-key.jwk');
    if (!configured && !existsSync(path)) writeKeyFileOnce(path, await TokenSigner.newKeyJwk());
    const jwk = readJwk(path);
    try {
      return new TokenSigner((await importJWK(jwk, 'ES256')) as CryptoKey, (await importJWK(publicJwk(jwk), 'ES256')) as CryptoKey, issuer);
    } catch {
      throw new RempartError('TOKEN_KEY_INVALID', path);
    }
  }

  /** A fresh private key, as its file holds it: a JWK (ES256, P-256). */
  static async newKeyJwk(): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    return `${JSON.stringify(await exportJWK(privateKey))}\n`;
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

/** A private EC P-256 key as a JWK, or a stable refusal naming the file and why. */
function readJwk(path: string): JWK {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'JSON illisible';
    throw new RempartError('TOKEN_KEY_INVALID', `${path} (${code})`);
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') throw new RempartError('TOKEN_KEY_INVALID', `${path} (clé publique ou d’un autre type)`);
  return jwk;
}
