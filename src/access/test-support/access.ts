import type { Database } from '../../db/database.js';
import type { Access } from '../access.js';
import { MemoryReplayGuard } from '../replay-cache.js';
import { TokenSigner } from '../token-signer.js';

export const TEST_ORIGIN = 'https://rempart.test';

/** An access layer for tests, with a clock the test can move. */
export async function testAccess(db: Database, clock: { now: Date } = { now: new Date() }): Promise<Access> {
  return { db, signer: await TokenSigner.generate(TEST_ORIGIN), replay: new MemoryReplayGuard(), publicOrigin: TEST_ORIGIN, now: () => clock.now };
}
