import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingServerKey } from '../domain/errors/missing-key.js';
import { VaultError } from './errors.js';
import { refuseKeyBesideData, writeKeyFileOnce } from './key-file.js';
import { decodeBase64Key } from './master-key.js';

/**
 * The key that seals each access record (HMAC-SHA256, src/audit/access-seal.ts). Like the
 * master key, it never enters the database: whoever holds only the store cannot seal a
 * record, so the sequencer refuses what they insert. A key of its own rather than one
 * derived from the master key: rotating the master key must not break the seals of
 * records already written.
 *
 * `REMPART_ACCESS_SEAL_KEY` (32 bytes in base64) wins, then the file named by
 * `REMPART_ACCESS_SEAL_KEY_FILE`, which a server must set, outside REMPART_HOME and
 * PGDATA; with neither, on the embedded store only, `<home>/access-seal.key`, created on
 * first use (development).
 */
export function accessSealKeyFromEnv(env: NodeJS.ProcessEnv, home: string): KeyObject {
  const found = findAccessSealKey(env, home);
  if (found !== undefined) return found;
  if (env.DATABASE_URL) throw missingServerKey('clé de sceau du journal d’accès', 'REMPART_ACCESS_SEAL_KEY_FILE');
  writeKeyFileOnce(developmentPath(home), newAccessSealKeyText());
  return readSealKeyFile(developmentPath(home));
}

/**
 * The key where `accessSealKeyFromEnv` looks, without making one: for `rempart audit
 * verify`, which recomputes the seals when it holds the key and says so when not (an
 * auditor outside the platform checks the tree and the signatures without it).
 */
export function findAccessSealKey(env: NodeJS.ProcessEnv, home: string): KeyObject | undefined {
  if (env.REMPART_ACCESS_SEAL_KEY) return secret(decodeBase64Key(env.REMPART_ACCESS_SEAL_KEY, 'REMPART_ACCESS_SEAL_KEY'));
  const configured = env.REMPART_ACCESS_SEAL_KEY_FILE;
  if (configured) {
    refuseKeyBesideData(configured, env, home, 'clé de sceau du journal d’accès (REMPART_ACCESS_SEAL_KEY_FILE)');
    return readSealKeyFile(configured);
  }
  if (env.DATABASE_URL || !existsSync(developmentPath(home))) return undefined;
  return readSealKeyFile(developmentPath(home));
}

const developmentPath = (home: string): string => join(home, 'access-seal.key');

/** A fresh key as its file holds it (`openssl rand -base64 32` makes the same). */
export function newAccessSealKeyText(): string {
  return `${randomBytes(32).toString('base64')}\n`;
}

function readSealKeyFile(path: string): KeyObject {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'erreur inconnue';
    throw new VaultError('master-key-invalid', `Fichier de clé de sceau du journal d’accès illisible : ${path} (${code})`);
  }
  return secret(decodeBase64Key(text, `Fichier de clé de sceau du journal d’accès ${path}`));
}

function secret(raw: Buffer): KeyObject {
  const key = createSecretKey(raw);
  raw.fill(0);
  return key;
}
