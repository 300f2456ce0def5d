import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Database, Queryable, Tx } from '../db/database.js';
import { insertDataKey, KEY_PURPOSES, readDataKeys, unwrapDataKey, type DataKeyRow, type KeyPurpose } from './data-keys.js';
import { Keyring, type InsurerKeys } from './keyring.js';
import type { MasterKey } from './master-key.js';
import { openApart, sealApart } from './apart.js';

interface CachedKey {
  /** The row it was unwrapped from, to tell whether the database still holds this key. */
  readonly row: DataKeyRow;
  readonly key: KeyObject;
}

interface CachedInsurer {
  readonly entries: ReadonlyMap<string, CachedKey>;
  readonly keys: InsurerKeys;
}

/** Index and fingerprint keys have one version: rotating them would change every row's identity. */
const SINGLE_VERSION = 1;

/**
 * Hands out each insurer's keys, unwrapping them once per process.
 *
 * Cache refresh: every `keysFor` re-reads the insurer's `data_key` rows (a few short rows
 * by primary key, once per transaction, not per row) and unwraps only what it has not
 * seen. This notices a new encryption version created by another instance, and also a
 * key this process created in a transaction that was then rolled back: trusting only the
 * highest version number would keep sealing with a key nobody else can ever read. A row
 * whose envelope changed under another master key keeps its cached key, since a rewrap
 * never changes key bytes: running instances keep serving during a master-key rotation
 * until they are restarted with the new key.
 */
export class Vault {
  private readonly cache = new Map<number, CachedInsurer>();

  constructor(private readonly masterKey: MasterKey) {}

  /**
   * The insurer's keys, created on first use; `tx` must be scoped to that insurer. A value
   * sealed under a version created after this call (a rotation running elsewhere) makes
   * `decrypt` throw `unknown-key-version`: calling `keysFor` again picks the version up.
   */
  async keysFor(tx: Tx, insurerId: number): Promise<InsurerKeys> {
    const rows = await this.ensureKeys(tx, insurerId);
    const cached = this.cache.get(insurerId);
    if (cached !== undefined && holdsExactly(cached, rows)) return cached.keys;
    const fresh = await this.load(insurerId, rows, cached);
    this.cache.set(insurerId, fresh);
    return fresh.keys;
  }

  /**
   * The insurer's blind index, from memory when this process has loaded its keys before:
   * the index key has one version for ever (SINGLE_VERSION), so no re-read can change it,
   * and a rights check saves a round trip. Loads the keys the first time.
   */
  async blindIndexer(tx: Tx, insurerId: number): Promise<InsurerKeys['blindIndex']> {
    const keys = this.cache.get(insurerId)?.keys ?? (await this.keysFor(tx, insurerId));
    return (parts) => keys.blindIndex(parts);
  }

  /** The same, outside any transaction: one in the insurer's scope is opened only the first time. */
  async blindIndexerOf(db: Database, insurerId: number): Promise<InsurerKeys['blindIndex']> {
    const keys = this.cache.get(insurerId)?.keys ?? (await db.transaction({ insurerId }, (tx) => this.keysFor(tx, insurerId)));
    return (parts) => keys.blindIndex(parts);
  }

  /** Creates the next encryption key version (or finds the one a concurrent rotation made) and returns it. */
  async addEncryptionVersion(tx: Tx, insurerId: number): Promise<number> {
    const { encryptionVersion } = await this.keysFor(tx, insurerId);
    await insertDataKey(tx, this.masterKey, insurerId, 'encryption', encryptionVersion + 1);
    return (await this.keysFor(tx, insurerId)).encryptionVersion;
  }

  /** A value of no insurer, sealed under a key of its own wrapped by the master key (apart.ts); `aad` names where it lives. */
  sealApart(plain: Buffer, aad: Buffer): Promise<Buffer> {
    return sealApart(this.masterKey, plain, aad);
  }

  openApart(sealed: Buffer, aad: Buffer): Promise<Buffer> {
    return openApart(this.masterKey, sealed, aad);
  }

  private async ensureKeys(tx: Queryable, insurerId: number): Promise<DataKeyRow[]> {
    const rows = await readDataKeys(tx, insurerId);
    const missing = KEY_PURPOSES.filter((purpose) => !rows.some((row) => row.purpose === purpose));
    if (missing.length === 0) return rows;
    for (const purpose of missing) await insertDataKey(tx, this.masterKey, insurerId, purpose, SINGLE_VERSION);
    return readDataKeys(tx, insurerId);
  }

  private async load(insurerId: number, rows: readonly DataKeyRow[], previous?: CachedInsurer): Promise<CachedInsurer> {
    const entries = await Promise.all(
      rows.map(async (row): Promise<[string, CachedKey]> => {
        const kept = previous?.entries.get(entryName(row.purpose, row.version));
        return [entryName(row.purpose, row.version), kept && stillValid(kept, row) ? kept : await this.unwrap(insurerId, row)];
      }),
    );
    const map = new Map(entries);
    return { entries: map, keys: keyringOf(insurerId, map) };
  }

  private async unwrap(insurerId: number, row: DataKeyRow): Promise<CachedKey> {
    const raw = await unwrapDataKey(this.masterKey, insurerId, row);
    const key = createSecretKey(raw);
    raw.fill(0);
    return { row, key };
  }
}

function entryName(purpose: KeyPurpose, version: number): string {
  return `${purpose}:${version}`;
}

function stillValid(entry: CachedKey, row: DataKeyRow): boolean {
  return entry.row.wrapped.equals(row.wrapped) || entry.row.masterKeyId !== row.masterKeyId;
}

function holdsExactly(cached: CachedInsurer, rows: readonly DataKeyRow[]): boolean {
  return (
    rows.length === cached.entries.size &&
    rows.every((row) => {
      const entry = cached.entries.get(entryName(row.purpose, row.version));
      return entry !== undefined && stillValid(entry, row);
    })
  );
}

function keyringOf(insurerId: number, entries: ReadonlyMap<string, CachedKey>): Keyring {
  const encryption = new Map<number, KeyObject>();
  for (const { row, key } of entries.values()) if (row.purpose === 'encryption') encryption.set(row.version, key);
  return new Keyring(insurerId, encryption, single(entries, 'index'), single(entries, 'fingerprint'));
}

function single(entries: ReadonlyMap<string, CachedKey>, purpose: KeyPurpose): KeyObject {
  const entry = entries.get(entryName(purpose, SINGLE_VERSION));
  if (entry === undefined) throw new Error(`Clé ${purpose} v${SINGLE_VERSION} absente`);
  return entry.key;
}
