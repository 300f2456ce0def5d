import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingServerKey } from '../domain/errors/missing-key.js';
import { VaultError } from './errors.js';
import { freshIv, gcmOpen, gcmSeal, IV_BYTES, KEY_BYTES, TAG_BYTES } from './gcm.js';
import { writeKeyFileOnce } from './key-file.js';

/**
 * The key that wraps every data key and never enters the database (THREATS.md point 8).
 * Async so that a KMS (one network call per wrap/unwrap) can stand in for the local key:
 * unwrapping happens once per data key and process, never per row.
 */
export interface MasterKey {
  /** Names the key without revealing it; stored next to each wrapped data key. */
  readonly id: string;
  wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer>;
  unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer>;
}

/** A master key held in this process: AES-256-GCM key wrapping, output iv | tag | ciphertext. */
export class LocalMasterKey implements MasterKey {
  readonly id: string;
  private readonly key: KeyObject;

  constructor(raw: Buffer) {
    if (raw.length !== KEY_BYTES) {
      throw new VaultError('master-key-invalid', `Clé maîtresse invalide : ${raw.length} octets au lieu de ${KEY_BYTES}`);
    }
    // A truncated hash: enough to tell keys apart, far too short to help guess one.
    this.id = createHash('sha256').update(raw).digest('hex').slice(0, 16);
    this.key = createSecretKey(raw);
  }

  wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer> {
    return new Promise((resolve) => {
      const iv = freshIv();
      const { ciphertext, tag } = gcmSeal(this.key, iv, dataKey, aad);
      resolve(Buffer.concat([iv, tag, ciphertext]));
    });
  }

  unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    // The executor turns a throw into a rejection, as a remote KMS would report it.
    return new Promise((resolve) => {
      if (wrapped.length < IV_BYTES + TAG_BYTES) {
        throw new VaultError('authentication-failed', 'Clé de données enveloppée tronquée');
      }
      const iv = wrapped.subarray(0, IV_BYTES);
      const tag = wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      resolve(gcmOpen(this.key, iv, { ciphertext: wrapped.subarray(IV_BYTES + TAG_BYTES), tag }, aad));
    });
  }
}

/**
 * The master key of this process. One encoding for the variable and a file alike: the 32
 * bytes in base64 (44 characters), white space around ignored. `REMPART_MASTER_KEY` wins,
 * then the file named by `REMPART_MASTER_KEY_FILE`; with neither, on the embedded store
 * only, `<dataDir>/master.key`, created on first use. That last one is for development
 * only: in production the master key lives in a KMS or at least outside the host that
 * stores the database and its backups.
 */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv, dataDir: string): MasterKey {
  if (env.REMPART_MASTER_KEY) return fromRaw(decodeBase64Key(env.REMPART_MASTER_KEY, 'REMPART_MASTER_KEY'));
  if (env.REMPART_MASTER_KEY_FILE) return readMasterKeyFile(env.REMPART_MASTER_KEY_FILE);
  // A shared server with a key made up on this host would seal data no other instance can open.
  if (env.DATABASE_URL) throw missingServerKey('clé maîtresse', 'REMPART_MASTER_KEY_FILE (ou REMPART_MASTER_KEY)');
  const path = join(dataDir, 'master.key');
  if (!existsSync(path)) writeKeyFileOnce(path, newMasterKeyText());
  upgradeRawKeyFile(path);
  return readMasterKeyFile(path);
}

/** A fresh master key as its file holds it (`openssl rand -base64 32` makes the same). */
export function newMasterKeyText(): string {
  return `${randomBytes(KEY_BYTES).toString('base64')}\n`;
}

/** A key file holds the key in base64, like REMPART_MASTER_KEY. */
export function readMasterKeyFile(path: string): MasterKey {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new VaultError('master-key-invalid', `Fichier de clé maîtresse illisible : ${path} (${errorCode(error)})`);
  }
  // 32 bytes cannot be base64 of 32 bytes (44 characters): the raw form of older versions.
  if (raw.length === KEY_BYTES) {
    raw.fill(0);
    throw new VaultError(
      'master-key-invalid',
      `Fichier de clé maîtresse ${path} en 32 octets bruts (anciennes versions) : convertissez-le, « base64 -w0 ${path} > ${path}.b64 », et désignez ${path}.b64`,
    );
  }
  const text = raw.toString('latin1');
  raw.fill(0);
  return fromRaw(decodeBase64Key(text, `Fichier de clé maîtresse ${path}`));
}

/**
 * Older versions wrote the development key `<dataDir>/master.key` as 32 raw bytes: it is
 * rewritten once in base64, the same key, so that the data it sealed stays readable.
 */
function upgradeRawKeyFile(path: string): void {
  const raw = readFileSync(path);
  if (raw.length !== KEY_BYTES) return;
  const draft = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(draft, `${raw.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  raw.fill(0);
  renameSync(draft, path);
}

/** 32 bytes in base64 (44 characters), white space around ignored: every symmetric key file of the vault. */
export function decodeBase64Key(text: string, source: string): Buffer {
  // Buffer.from(…, 'base64') skips invalid characters silently: check the shape first.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text.trim())) {
    throw new VaultError('master-key-invalid', `${source} invalide : attendu 32 octets encodés en base64 (44 caractères)`);
  }
  return Buffer.from(text.trim(), 'base64');
}

function fromRaw(raw: Buffer): MasterKey {
  const key = new LocalMasterKey(raw);
  raw.fill(0);
  return key;
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'erreur inconnue';
}
