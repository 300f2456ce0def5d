import type { KeyObject } from 'node:crypto';
import { keyedHash } from './blind-index.js';
import { VaultError } from './errors.js';
import { openField, sealField, sealedKeyVersion, type FieldRef } from './field-cipher.js';

/**
 * One insurer's unwrapped keys, valid for the transaction they were obtained in. Everything
 * here is synchronous: it runs for every row of a load.
 */
export interface InsurerKeys {
  readonly insurerId: number;
  /** The version new values are sealed under: the highest encryption key. */
  readonly encryptionVersion: number;
  encrypt(plain: Buffer, field: FieldRef): Buffer;
  /** Uses the version recorded in `sealed`, so values sealed before a rotation stay readable. */
  decrypt(sealed: Buffer, field: FieldRef): Buffer;
  /** Lookup key of a row: HMAC under the insurer's index key. */
  blindIndex(parts: readonly string[]): Buffer;
  /** Detects unchanged content without keeping a plain hash of personal data. */
  fingerprint(parts: readonly string[]): Buffer;
}

export class Keyring implements InsurerKeys {
  readonly encryptionVersion: number;
  private readonly current: KeyObject;

  constructor(
    readonly insurerId: number,
    private readonly encryption: ReadonlyMap<number, KeyObject>,
    private readonly indexKey: KeyObject,
    private readonly fingerprintKey: KeyObject,
  ) {
    this.encryptionVersion = Math.max(...encryption.keys());
    this.current = this.keyOf(this.encryptionVersion);
  }

  encrypt(plain: Buffer, field: FieldRef): Buffer {
    return sealField(this.current, this.encryptionVersion, this.insurerId, plain, field);
  }

  decrypt(sealed: Buffer, field: FieldRef): Buffer {
    return openField(this.keyOf(sealedKeyVersion(sealed)), this.insurerId, sealed, field);
  }

  blindIndex(parts: readonly string[]): Buffer {
    return keyedHash(this.indexKey, parts);
  }

  fingerprint(parts: readonly string[]): Buffer {
    return keyedHash(this.fingerprintKey, parts);
  }

  /**
   * A version this keyring lacks was created after it was loaded (a rotation running
   * elsewhere): calling `Vault.keysFor` again picks it up.
   */
  private keyOf(version: number): KeyObject {
    const key = this.encryption.get(version);
    if (key === undefined) {
      throw new VaultError(
        'unknown-key-version',
        `Clé de chiffrement v${version} inconnue pour l'organisme ${this.insurerId} : relire les clés (Vault.keysFor)`,
      );
    }
    return key;
  }
}
