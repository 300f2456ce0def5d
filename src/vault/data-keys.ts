import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import { asBuffer, lengthPrefixed } from './encoding.js';
import { VaultError } from './errors.js';
import { KEY_BYTES } from './gcm.js';
import type { MasterKey } from './master-key.js';

/**
 * Storage of data keys (table `data_key`): one random 32-byte key per insurer, purpose and
 * version, stored only wrapped by the master key. The application may insert a key and,
 * since 002_vault.sql, replace its envelope, never its identity: a key's bytes never change.
 */
export type KeyPurpose = 'encryption' | 'index' | 'fingerprint';

export const KEY_PURPOSES: readonly KeyPurpose[] = ['encryption', 'index', 'fingerprint'];

export interface DataKeyRow {
  purpose: KeyPurpose;
  version: number;
  wrapped: Buffer;
  masterKeyId: string;
}

/** Every key of one insurer, all versions (a handful of short rows). */
export async function readDataKeys(tx: Queryable, insurerId: number): Promise<DataKeyRow[]> {
  const result = await tx.query<{ purpose: KeyPurpose; version: number; wrapped: Uint8Array; master_key_id: string }>(
    'SELECT purpose, version, wrapped, master_key_id FROM data_key WHERE insurer_id = $1 ORDER BY purpose, version',
    [insurerId],
  );
  return result.rows.map((row) => ({
    purpose: row.purpose,
    version: row.version,
    wrapped: asBuffer(row.wrapped),
    masterKeyId: row.master_key_id,
  }));
}

/**
 * Creates a key unless one exists already. Two instances may race here: the loser's
 * INSERT does nothing and both then read the winner's key, so callers must re-read.
 */
export async function insertDataKey(
  tx: Queryable,
  masterKey: MasterKey,
  insurerId: number,
  purpose: KeyPurpose,
  version: number,
): Promise<void> {
  const key = randomBytes(KEY_BYTES);
  const wrapped = await masterKey.wrap(key, wrapAad(insurerId, purpose, version));
  key.fill(0);
  await tx.query(
    `INSERT INTO data_key (insurer_id, purpose, version, wrapped, master_key_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [insurerId, purpose, version, wrapped, masterKey.id],
  );
}

/** The raw key of a row; the caller wipes it once used. */
export async function unwrapDataKey(masterKey: MasterKey, insurerId: number, row: DataKeyRow): Promise<Buffer> {
  if (row.masterKeyId !== masterKey.id) {
    throw new VaultError(
      'master-key-mismatch',
      `La clé de données ${row.purpose} v${row.version} de l'organisme ${insurerId} est enveloppée par la clé maîtresse ` +
        `${row.masterKeyId}, or ce processus dispose de la clé ${masterKey.id}`,
    );
  }
  return masterKey.unwrap(row.wrapped, wrapAad(insurerId, row.purpose, row.version));
}

/**
 * Moves a key under another master key: same key bytes, new envelope. Only if the row is
 * still under `from`: a concurrent rotation that got there first leaves nothing to do.
 * Returns whether the row changed.
 */
export async function rewrapDataKey(
  tx: Queryable,
  insurerId: number,
  row: DataKeyRow,
  from: MasterKey,
  to: MasterKey,
): Promise<boolean> {
  const key = await unwrapDataKey(from, insurerId, row);
  try {
    const wrapped = await to.wrap(key, wrapAad(insurerId, row.purpose, row.version));
    const result = await tx.query(
      `UPDATE data_key SET wrapped = $1, master_key_id = $2
        WHERE insurer_id = $3 AND purpose = $4 AND version = $5 AND master_key_id = $6`,
      [wrapped, to.id, insurerId, row.purpose, row.version, from.id],
    );
    return result.rowCount === 1;
  } finally {
    key.fill(0);
  }
}

/** Binds an envelope to its row: a wrapped key copied to another insurer, purpose or version no longer opens. */
export function wrapAad(insurerId: number, purpose: KeyPurpose, version: number): Buffer {
  return lengthPrefixed(['rempart.data_key', String(insurerId), purpose, String(version)]);
}
