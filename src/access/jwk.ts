import type { JWK } from 'jose';

/** The public half of an EC key: what may be published, embedded in a proof, or verified with. */
export function publicJwk(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}
