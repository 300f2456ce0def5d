import { createSecretKey, randomBytes } from 'node:crypto';
import { AccessSealer, installAccessSealer } from '../audit/access-seal.js';

/**
 * Every test process seals the access records it writes, as the server does, with a key
 * of its own (vitest.config.ts setupFiles): the sequencer then signs them, and refuses
 * whatever a test inserts behind the application's back. The key is also put in the
 * environment (REMPART_ACCESS_SEAL_KEY), so that a sequencer thread a test starts checks
 * the seals with the same key.
 */
process.env.REMPART_ACCESS_SEAL_KEY ??= randomBytes(32).toString('base64');
installAccessSealer(new AccessSealer(createSecretKey(Buffer.from(process.env.REMPART_ACCESS_SEAL_KEY, 'base64'))));
