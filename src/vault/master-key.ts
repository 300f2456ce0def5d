import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VaultError } from './errors.js';
import { freshIv, gcmOpen, gcmSeal, IV_BYTES, KEY_BYTES, TAG_BYTES } from './gcm.js';

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
 * The master key of this process: `REMPART_MASTER_KEY` (base64 of 32 bytes) wins, then the
 * file named by `REMPART_MASTER_KEY_FILE`, then `<dataDir>/master.key`, created on first
 * use, and only on the embedded store. That last one is for development only: in production the master key lives in a
 * KMS or at least outside the host that stores the database and its backups.
 */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv, dataDir: string): MasterKey {
  if (env.REMPART_MASTER_KEY) return fromRaw(decodeBase64Key(env.REMPART_MASTER_KEY));
  if (env.REMPART_MASTER_KEY_FILE) return readMasterKeyFile(env.REMPART_MASTER_KEY_FILE);
  // A shared server with a key made up on this host would seal data no other instance can open.
  if (env.DATABASE_URL) {
    throw new VaultError('master-key-invalid', 'Avec DATABASE_URL, fournissez la clé maîtresse (REMPART_MASTER_KEY ou REMPART_MASTER_KEY_FILE)');
  }
  const path = join(dataDir, 'master.key');
  if (!existsSync(path)) createKeyFileOnce(path);
  return readMasterKeyFile(path);
}

/** A key file holds exactly 32 raw bytes (e.g. `head -c 32 /dev/urandom > fichier`). */
export function readMasterKeyFile(path: string): MasterKey {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new VaultError('master-key-invalid', `Fichier de clé maîtresse illisible : ${path} (${errorCode(error)})`);
  }
  if (raw.length !== KEY_BYTES) {
    raw.fill(0);
    throw new VaultError(
      'master-key-invalid',
      `Fichier de clé maîtresse invalide : ${path} contient ${raw.length} octets, attendu ${KEY_BYTES} octets bruts`,
    );
  }
  return fromRaw(raw);
}

function decodeBase64Key(text: string): Buffer {
  // Buffer.from(…, 'base64') skips invalid characters silently: check the shape first.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text.trim())) {
    throw new VaultError('master-key-invalid', 'REMPART_MASTER_KEY invalide : attendu 32 octets encodés en base64 (44 caractères)');
  }
  return Buffer.from(text.trim(), 'base64');
}

function fromRaw(raw: Buffer): MasterKey {
  const key = new LocalMasterKey(raw);
  raw.fill(0);
  return key;
}

/**
 * Writes a fresh random key aside, then hard-links it into place: link fails if the file
 * exists, so two processes starting together agree on one key and none ever reads a
 * half-written file.
 */
function createKeyFileOnce(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const draft = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(draft, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'erreur inconnue';
}
