import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { tokenEndpoint } from './access.js';
import { authenticateClient } from './client-assertion.js';
import { registerClient } from './clients.js';
import { MemoryReplayGuard } from './replay-cache.js';
import { TEST_ORIGIN } from './test-support/access.js';
import { keyPair, seedDirectory, type KeyPair } from './test-support/client.js';

const CLIENT_ID = 'lgo-assertions';
const AUDIENCE = tokenEndpoint(TEST_ORIGIN);

describe('a client assertion (private_key_jwt) is short-lived', () => {
  let t: TestDatabase;
  let key: KeyPair;
  const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

  /** An assertion issued `iatOffset` seconds from now, expiring `expOffset` seconds from now. */
  const assertion = (now: Date, iatOffset: number, expOffset: number): Promise<string> =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid ?? '' })
      .setIssuer(CLIENT_ID)
      .setSubject(CLIENT_ID)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(seconds(now) + iatOffset)
      .setExpirationTime(seconds(now) + expOffset)
      .sign(key.privateKey);
  const verdict = async (iatOffset: number, expOffset: number): Promise<string> => {
    const now = new Date();
    return authenticateClient(t.db, await assertion(now, iatOffset, expOffset), AUDIENCE, now, new MemoryReplayGuard()).then(
      (client) => client.clientId,
      (error: unknown) => (error as { code?: string }).code ?? 'erreur',
    );
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    const directory = await seedDirectory(t.db);
    key = await keyPair();
    await registerClient(t.db, { clientId: CLIENT_ID, siteId: directory.siteA, name: 'LGO', jwks: { keys: [key.jwk] } });
  });
  afterAll(() => t.drop());

  it('is accepted with an expiry within five minutes, even from a clock a little ahead', async () => {
    expect(await verdict(0, 120)).toBe(CLIENT_ID);
    expect(await verdict(0, 300)).toBe(CLIENT_ID);
    expect(await verdict(20, 320)).toBe(CLIENT_ID);
  });

  it('is refused when it expires more than five minutes from now (a day, an hour, six minutes)', async () => {
    for (const expOffset of [24 * 3600, 3600, 360]) expect(await verdict(0, expOffset), `exp +${expOffset} s`).toBe('AUTH_CLIENT_INVALID');
  });

  it('is refused when issued in the future beyond a small clock skew', async () => {
    expect(await verdict(120, 240)).toBe('AUTH_CLIENT_INVALID');
  });
});
