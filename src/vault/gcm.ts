import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { VaultError } from './errors.js';

/** AES-256-GCM with its standard sizes: 96-bit IV (the only size GCM handles natively), 128-bit tag. */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;

let ivPool = Buffer.alloc(0);
let ivOffset = 0;

/**
 * A random IV, drawn from the CSPRNG a few kilobytes at a time: a randomBytes call per
 * value cost a third of the sealing time. Each slice is handed out once and the pool is
 * never written again (a new one replaces it), so the IVs are exactly as random and
 * unique as separate calls would give.
 */
export function freshIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 512);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

export interface Sealed {
  ciphertext: Buffer;
  tag: Buffer;
}

export function gcmSeal(key: KeyObject, iv: Buffer, plain: Buffer, aad: Buffer): Sealed {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** Throws `authentication-failed` on any altered byte, wrong key or wrong AAD: GCM cannot tell which. */
export function gcmOpen(key: KeyObject, iv: Buffer, sealed: Sealed, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const plain = decipher.update(sealed.ciphertext);
  try {
    return Buffer.concat([plain, decipher.final()]);
  } catch {
    plain.fill(0);
    throw new VaultError(
      'authentication-failed',
      'Authentification impossible : donnée altérée, déplacée vers un autre champ ou clé incorrecte',
    );
  }
}
