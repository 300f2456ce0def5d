import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { Services } from '../../app/server.js';
import { MemoryReplayGuard } from '../replay-cache.js';
import { TokenSigner } from '../token-signer.js';
import { LocalMasterKey, Vault } from '../../vault/index.js';
import { testShield } from '../../shield/test-support/shield.js';
import type { ShieldThresholds } from '../../shield/config.js';

export const TEST_ORIGIN = 'https://rempart.test';

/** An access layer for tests: on the real clock, or on one the test moves; a lenient shield unless thresholds are given. */
export async function testAccess(db: Database, clock?: { now: Date }, thresholds?: ShieldThresholds, shieldEnv?: NodeJS.ProcessEnv): Promise<Services> {
  const now = clock ? (): Date => clock.now : (): Date => new Date();
  return { db, signer: await TokenSigner.generate(TEST_ORIGIN), replay: new MemoryReplayGuard(), publicOrigin: TEST_ORIGIN, shield: testShield(db, thresholds, shieldEnv), now };
}

/** A vault under a master key made for this test run. */
export function testVault(): Vault {
  return new Vault(new LocalMasterKey(randomBytes(32)));
}
