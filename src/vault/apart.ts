import { createSecretKey, randomBytes } from 'node:crypto';
import { VaultError } from './errors.js';
import { freshIv, gcmOpen, gcmSeal, IV_BYTES, KEY_BYTES, TAG_BYTES } from './gcm.js';
import type { MasterKey } from './master-key.js';

/**
 * A value that belongs to no insurer (a lot of invoices names several), sealed under a key
 * of its own that only the master key unwraps: the vault's envelope, one level up, so a
 * dump of the database without the master key reads nothing of it. Meant for values that
 * live minutes, not for ever: a master-key rotation rewraps the insurers' data keys, not
 * these, so one sealed before it opens only with the old key.
 *
 * Layout: format (1 byte) | wrapped key length (2, big endian) | wrapped key | IV (12) | tag (16) | ciphertext.
 * `aad` names where the value lives: copied elsewhere, it fails to open.
 */
const FORMAT = 1;
const HEADER_BYTES = 3;

export async function sealApart(masterKey: MasterKey, plain: Buffer, aad: Buffer): Promise<Buffer> {
  const raw = randomBytes(KEY_BYTES);
  try {
    const wrapped = await masterKey.wrap(raw, aad);
    const iv = freshIv();
    const { ciphertext, tag } = gcmSeal(createSecretKey(raw), iv, plain, aad);
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt8(FORMAT, 0);
    header.writeUInt16BE(wrapped.length, 1);
    return Buffer.concat([header, wrapped, iv, tag, ciphertext]);
  } finally {
    raw.fill(0);
  }
}

export async function openApart(masterKey: MasterKey, sealed: Buffer, aad: Buffer): Promise<Buffer> {
  const wrappedEnd = HEADER_BYTES + (sealed.length >= HEADER_BYTES ? sealed.readUInt16BE(1) : 0);
  if (sealed.length < wrappedEnd + IV_BYTES + TAG_BYTES || sealed.readUInt8(0) !== FORMAT) {
    throw new VaultError('sealed-format', 'Donnée chiffrée illisible : format inconnu ou longueur insuffisante');
  }
  const raw = await masterKey.unwrap(sealed.subarray(HEADER_BYTES, wrappedEnd), aad);
  try {
    const iv = sealed.subarray(wrappedEnd, wrappedEnd + IV_BYTES);
    const tag = sealed.subarray(wrappedEnd + IV_BYTES, wrappedEnd + IV_BYTES + TAG_BYTES);
    return gcmOpen(createSecretKey(raw), iv, { ciphertext: sealed.subarray(wrappedEnd + IV_BYTES + TAG_BYTES), tag }, aad);
  } finally {
    raw.fill(0);
  }
}
