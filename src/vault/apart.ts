import { createSecretKey, randomBytes } from 'node:crypto';
import { unlessRefused, VaultError } from './errors.js';
import { freshIv, gcmOpen, gcmSeal, IV_BYTES, KEY_BYTES, TAG_BYTES } from './gcm.js';
import type { MasterKey } from './master-key.js';

/**
 * A value that belongs to no insurer (a lot of invoices names several), sealed under a key
 * of its own that only the master key unwraps: the vault's envelope, one level up, so a
 * dump of the database without the master key reads nothing of it. Meant for values that
 * live minutes or days, not for ever. A master-key rotation rewraps the insurers' data keys
 * and, through their owners, these (`rewrapApart`: only the wrapped key changes).
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
    return withHeader(wrapped, Buffer.concat([iv, tag, ciphertext]));
  } finally {
    raw.fill(0);
  }
}

/** The wrapped key's bytes and what follows them (IV, tag, ciphertext), once the header is checked. */
function parts(sealed: Buffer): { wrapped: Buffer; rest: Buffer } {
  const wrappedEnd = HEADER_BYTES + (sealed.length >= HEADER_BYTES ? sealed.readUInt16BE(1) : 0);
  if (sealed.length < wrappedEnd + IV_BYTES + TAG_BYTES || sealed.readUInt8(0) !== FORMAT) {
    throw new VaultError('sealed-format', 'Donnée chiffrée illisible : format inconnu ou longueur insuffisante');
  }
  return { wrapped: sealed.subarray(HEADER_BYTES, wrappedEnd), rest: sealed.subarray(wrappedEnd) };
}

function withHeader(wrapped: Buffer, rest: Buffer): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt16BE(wrapped.length, 1);
  return Buffer.concat([header, wrapped, rest]);
}

/**
 * The same sealed value with its key wrapped under `to` instead of `from`; null when it is
 * under `to` already (a rotation run again). The ciphertext is left as it is. Throws when
 * neither key opens it (sealed under a third key, or altered).
 */
export async function rewrapApart(from: MasterKey, to: MasterKey, sealed: Buffer, aad: Buffer): Promise<Buffer | null> {
  const { wrapped, rest } = parts(sealed);
  const current = await unlessRefused(to.unwrap(wrapped, aad));
  if (current) {
    current.fill(0);
    return null;
  }
  const raw = await from.unwrap(wrapped, aad);
  try {
    return withHeader(await to.wrap(raw, aad), rest);
  } finally {
    raw.fill(0);
  }
}

export async function openApart(masterKey: MasterKey, sealed: Buffer, aad: Buffer): Promise<Buffer> {
  const { wrapped, rest } = parts(sealed);
  const raw = await masterKey.unwrap(wrapped, aad);
  try {
    const iv = rest.subarray(0, IV_BYTES);
    const tag = rest.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    return gcmOpen(createSecretKey(raw), iv, { ciphertext: rest.subarray(IV_BYTES + TAG_BYTES), tag }, aad);
  } finally {
    raw.fill(0);
  }
}
