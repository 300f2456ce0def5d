import type { KeyObject } from 'node:crypto';
import { lengthPrefixed } from './encoding.js';
import { VaultError } from './errors.js';
import { freshIv, gcmOpen, gcmSeal, IV_BYTES, TAG_BYTES } from './gcm.js';

/**
 * Where an encrypted value lives. It is authenticated with the value, so a ciphertext
 * copied to another row, column, table or insurer fails to decrypt instead of showing
 * someone else's identity.
 *
 * rowKey convention: a beneficiary's rowKey is its `blind_index` — the row's stable
 * identity, known before the row is inserted (no id yet), and unchanged by upserts.
 */
export interface FieldRef {
  readonly table: string;
  readonly column: string;
  readonly rowKey: Buffer;
}

/** Layout: format (1 byte) | key version (4 bytes, big endian) | IV (12) | ciphertext | tag (16). */
const FORMAT = 1;
const HEADER_BYTES = 1 + 4;
const OVERHEAD = HEADER_BYTES + IV_BYTES + TAG_BYTES;

/**
 * A fresh random IV per value: with 96-bit random IVs, one key must not seal more than
 * 2^32 values (NIST SP 800-38D); rotating the encryption key resets the count.
 */
export function sealField(key: KeyObject, version: number, insurerId: number, plain: Buffer, field: FieldRef): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt32BE(version, 1);
  const iv = freshIv();
  const { ciphertext, tag } = gcmSeal(key, iv, plain, fieldAad(insurerId, version, field));
  return Buffer.concat([header, iv, ciphertext, tag], OVERHEAD + ciphertext.length);
}

/** The key version a sealed value names, after checking its shape. */
export function sealedKeyVersion(sealed: Buffer): number {
  if (sealed.length < OVERHEAD || sealed.readUInt8(0) !== FORMAT) {
    throw new VaultError('sealed-format', 'Donnée chiffrée illisible : format inconnu ou longueur insuffisante');
  }
  return sealed.readUInt32BE(1);
}

/** `key` must be the key of `sealedKeyVersion(sealed)`. */
export function openField(key: KeyObject, insurerId: number, sealed: Buffer, field: FieldRef): Buffer {
  const version = sealedKeyVersion(sealed);
  const iv = sealed.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const ciphertext = sealed.subarray(HEADER_BYTES + IV_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  return gcmOpen(key, iv, { ciphertext, tag }, fieldAad(insurerId, version, field));
}

/** The format byte needs no place here: any other value is refused before decryption. */
function fieldAad(insurerId: number, version: number, field: FieldRef): Buffer {
  return lengthPrefixed([String(insurerId), field.table, field.column, field.rowKey, String(version)]);
}

/** The field holding a beneficiary's identity (rowKey convention: see FieldRef). */
export function beneficiaryIdentity(blindIndex: Buffer): FieldRef {
  return { table: 'beneficiary', column: 'identity', rowKey: blindIndex };
}
