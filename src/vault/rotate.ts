import type { Database, Tx } from '../db/database.js';
import { readDataKeys, rewrapDataKey } from './data-keys.js';
import { asBuffer } from './encoding.js';
import { VaultError } from './errors.js';
import { beneficiaryIdentity } from './field-cipher.js';
import type { InsurerKeys } from './keyring.js';
import type { MasterKey } from './master-key.js';
import type { Vault } from './vault.js';

export interface InsurerRef {
  id: number;
  amcNumber: string;
}

/** Insurers are platform data (no row-level security): every one, or the one with this AMC number. */
export async function listInsurers(db: Database, amcNumber?: string): Promise<InsurerRef[]> {
  const result = await db.transaction('platform', (tx) =>
    tx.query<{ id: number; amc_number: string }>(
      'SELECT id, amc_number FROM insurer WHERE $1::text IS NULL OR amc_number = $1 ORDER BY id',
      [amcNumber ?? null],
    ),
  );
  return result.rows.map((row) => ({ id: row.id, amcNumber: row.amc_number }));
}

export interface MasterKeyRotation {
  insurers: number;
  /** Data keys seen; those not rewrapped were already under the new master key (a rerun). */
  keys: number;
  rewrapped: number;
}

/**
 * Puts every data key of every insurer under `to`, one short transaction per insurer.
 * Envelopes are replaced in place (002_vault.sql grants UPDATE on those two columns only):
 * the table's key is (insurer, purpose, version), so keeping the old envelope beside the
 * new one would need another table, and a role that can already rewrite every ciphertext
 * gains nothing from being able to spoil an envelope. Idempotent: keys already under `to`
 * are skipped, so a rotation that stopped halfway is finished by running it again.
 */
export async function rotateMasterKey(db: Database, from: MasterKey, to: MasterKey): Promise<MasterKeyRotation> {
  if (from.id === to.id) {
    throw new VaultError('master-key-invalid', 'La nouvelle clé maîtresse est identique à la clé actuelle');
  }
  const total: MasterKeyRotation = { insurers: 0, keys: 0, rewrapped: 0 };
  for (const insurer of await listInsurers(db)) {
    const done = await db.transaction({ insurerId: insurer.id }, (tx) => rewrapInsurer(tx, insurer.id, from, to));
    total.insurers += 1;
    total.keys += done.keys;
    total.rewrapped += done.rewrapped;
  }
  return total;
}

async function rewrapInsurer(tx: Tx, insurerId: number, from: MasterKey, to: MasterKey): Promise<Omit<MasterKeyRotation, 'insurers'>> {
  const rows = await readDataKeys(tx, insurerId);
  let rewrapped = 0;
  for (const row of rows) {
    if (row.masterKeyId !== to.id && (await rewrapDataKey(tx, insurerId, row, from, to))) rewrapped += 1;
  }
  return { keys: rows.length, rewrapped };
}

export interface RotationProgress {
  insurerId: number;
  version: number;
  reencrypted: number;
  /** Rows under an older key when the rotation started. */
  total: number;
}

export interface DataKeyRotationOptions {
  batchSize?: number;
  /** Awaited after each batch, outside any transaction. */
  onProgress?: (progress: RotationProgress) => void | Promise<void>;
}

export interface DataKeyRotation {
  insurerId: number;
  version: number;
  reencrypted: number;
  batches: number;
  /** Rows still under an older key: locked by a writer throughout; a rerun finishes them. */
  remaining: number;
}

/**
 * Creates encryption key version n+1, then re-seals `beneficiary.identity` batch by batch,
 * each batch its own short transaction whose rows are locked with SKIP LOCKED: writers
 * wait for one batch at most, and readers never fail, since every value names the
 * version it was sealed with and old keys are kept. Batches walk the primary key
 * (`id > last`) so each costs its own size, not a rescan; when a walk ends, one more walk
 * from the start picks up rows skipped while locked or written meanwhile under the
 * old key by an instance that had not yet seen the new one.
 */
export async function rotateDataKey(
  db: Database,
  vault: Vault,
  insurerId: number,
  options: DataKeyRotationOptions = {},
): Promise<DataKeyRotation> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`Taille de lot invalide : ${batchSize}`);
  const version = await db.transaction({ insurerId }, (tx) => vault.addEncryptionVersion(tx, insurerId));
  const total = await countBehind(db, insurerId, version);
  const done: DataKeyRotation = { insurerId, version, reencrypted: 0, batches: 0, remaining: 0 };
  let after = 0;
  for (;;) {
    const batch = await db.transaction({ insurerId }, (tx) => reencryptBatch(tx, vault, insurerId, { version, after, batchSize }));
    if (batch.lastId === undefined) {
      // The end of a walk: done if it was a walk from the start that found nothing, else walk again.
      if (after === 0) break;
      after = 0;
      continue;
    }
    after = batch.lastId;
    done.reencrypted += batch.count;
    done.batches += 1;
    await options.onProgress?.({ insurerId, version, reencrypted: done.reencrypted, total });
  }
  done.remaining = await countBehind(db, insurerId, version);
  return done;
}

async function countBehind(db: Database, insurerId: number, version: number): Promise<number> {
  const result = await db.transaction({ insurerId }, (tx) =>
    tx.query<{ n: number }>('SELECT count(*) AS n FROM beneficiary WHERE insurer_id = $1 AND key_version < $2', [
      insurerId,
      version,
    ]),
  );
  return result.rows[0]?.n ?? 0;
}

interface BatchWindow {
  version: number;
  after: number;
  batchSize: number;
}

async function reencryptBatch(
  tx: Tx,
  vault: Vault,
  insurerId: number,
  window: BatchWindow,
): Promise<{ count: number; lastId: number | undefined }> {
  const keys = await vault.keysFor(tx, insurerId);
  const { rows } = await tx.query<{ id: number; blind_index: Uint8Array; identity: Uint8Array }>(
    `SELECT id, blind_index, identity FROM beneficiary
      WHERE insurer_id = $1 AND key_version < $2 AND id > $3
      ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED`,
    [insurerId, window.version, window.after, window.batchSize],
  );
  if (rows.length === 0) return { count: 0, lastId: undefined };
  await tx.query(
    `UPDATE beneficiary AS b SET identity = u.identity, key_version = $2
       FROM unnest($3::bigint[], $4::bytea[]) AS u(id, identity)
      WHERE b.insurer_id = $1 AND b.id = u.id`,
    [insurerId, keys.encryptionVersion, rows.map((row) => row.id), rows.map((row) => reseal(keys, row))],
  );
  return { count: rows.length, lastId: rows.at(-1)?.id };
}

function reseal(keys: InsurerKeys, row: { blind_index: Uint8Array; identity: Uint8Array }): Buffer {
  const field = beneficiaryIdentity(asBuffer(row.blind_index));
  const plain = keys.decrypt(asBuffer(row.identity), field);
  const sealed = keys.encrypt(plain, field);
  plain.fill(0);
  return sealed;
}
