import { createHmac, type KeyObject } from 'node:crypto';
import { lengthPrefixed } from './encoding.js';

/**
 * HMAC-SHA256 of length-prefixed parts, all 32 bytes kept. Keyed per insurer, so the same
 * person gets unrelated values at two insurers and a stolen dump cannot be matched
 * against a list of NIRs without the key (THREATS.md points 8, A5, A8).
 */
export function keyedHash(key: KeyObject, parts: readonly string[]): Buffer {
  return createHmac('sha256', key).update(lengthPrefixed(parts)).digest();
}
