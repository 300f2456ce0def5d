import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { readDataKeys, wrapAad } from './data-keys.js';
import { lengthPrefixed } from './encoding.js';
import { VaultError } from './errors.js';
import { beneficiaryIdentity, type FieldRef } from './field-cipher.js';
import type { InsurerKeys } from './keyring.js';
import { LocalMasterKey } from './master-key.js';
import { createInsurer } from './test-support/fixtures.js';
import { Vault } from './vault.js';

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof VaultError ? error.code : 'not a VaultError';
  }
  return undefined;
}

describe('Vault', () => {
  let t: TestDatabase;
  let master: LocalMasterKey;
  let vault: Vault;
  let insurerA: number;
  let insurerB: number;
  let keysA: InsurerKeys;
  let keysB: InsurerKeys;
  const field: FieldRef = beneficiaryIdentity(Buffer.from('row-1'));
  const plain = Buffer.from('{"nir":"180017512345678","lastName":"MARTIN"}');

  const keysOf = (v: Vault, insurerId: number): Promise<InsurerKeys> =>
    t.db.transaction({ insurerId }, (tx) => v.keysFor(tx, insurerId));

  beforeAll(async () => {
    t = await createTestDatabase();
    master = new LocalMasterKey(randomBytes(32));
    vault = new Vault(master);
    insurerA = await createInsurer(t.db, '11111111');
    insurerB = await createInsurer(t.db, '22222222');
    keysA = await keysOf(vault, insurerA);
    keysB = await keysOf(vault, insurerB);
  });
  afterAll(() => t.drop());

  it('round-trips a value, in the documented layout', () => {
    const sealed = keysA.encrypt(plain, field);
    expect(sealed).toHaveLength(1 + 4 + 12 + plain.length + 16);
    expect(sealed[0]).toBe(1);
    expect(sealed.readUInt32BE(1)).toBe(keysA.encryptionVersion);
    expect(keysA.decrypt(sealed, field)).toEqual(plain);
    expect(keysA.encrypt(plain, field)).not.toEqual(sealed);
  });

  it('round-trips any payload under any field reference (property)', () => {
    const refs = fc.record({ table: fc.string(), column: fc.string(), rowKey: fc.uint8Array().map((b) => Buffer.from(b)) });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), refs, (bytes, ref) => {
        const payload = Buffer.from(bytes);
        expect(keysA.decrypt(keysA.encrypt(payload, ref), ref)).toEqual(payload);
      }),
    );
  });

  it('refuses a value sealed under another field reference (property)', () => {
    const ref = fc.record({ table: fc.string(), column: fc.string(), rowKey: fc.uint8Array().map((b) => Buffer.from(b)) });
    const same = (a: FieldRef, b: FieldRef): boolean => a.table === b.table && a.column === b.column && a.rowKey.equals(b.rowKey);
    fc.assert(
      fc.property(ref, ref, (written, read) => {
        fc.pre(!same(written, read));
        expect(() => keysA.decrypt(keysA.encrypt(plain, written), read)).toThrow(VaultError);
      }),
    );
  });

  it('detects any altered byte', () => {
    const sealed = keysA.encrypt(plain, field);
    for (let i = 0; i < sealed.length; i += 1) {
      const altered = Buffer.from(sealed);
      altered[i] = (altered[i] ?? 0) ^ 0x80;
      expect(() => keysA.decrypt(altered, field), `byte ${i}`).toThrow(VaultError);
    }
    expect(() => keysA.decrypt(sealed.subarray(0, sealed.length - 1), field)).toThrow(VaultError);
    expect(thrownCode(() => keysA.decrypt(sealed.subarray(0, 20), field))).toBe('sealed-format');
  });

  it('refuses a ciphertext moved to another row, column, table or insurer', () => {
    const sealed = keysA.encrypt(plain, field);
    const moves: FieldRef[] = [
      { ...field, rowKey: Buffer.from('row-2') },
      { ...field, column: 'other' },
      { ...field, table: 'contract' },
      // Length prefixes: shifting bytes between table and column is another field.
      { table: 'beneficiaryi', column: 'dentity', rowKey: field.rowKey },
    ];
    for (const move of moves) expect(thrownCode(() => keysA.decrypt(sealed, move))).toBe('authentication-failed');
    expect(() => keysB.decrypt(sealed, field)).toThrow(VaultError);
  });

  it('names an unknown key version instead of guessing', () => {
    const sealed = keysA.encrypt(plain, field);
    sealed.writeUInt32BE(99, 1);
    expect(thrownCode(() => keysA.decrypt(sealed, field))).toBe('unknown-key-version');
  });

  it('gives unlinkable blind indexes across insurers, deterministic within one', () => {
    const person = ['180017512345678', '1980-01-17', '1'];
    expect(keysA.blindIndex(person)).toHaveLength(32);
    expect(keysA.blindIndex(person)).toEqual(keysA.blindIndex([...person]));
    expect(keysA.blindIndex(person)).not.toEqual(keysB.blindIndex(person));
    expect(keysA.fingerprint(person)).not.toEqual(keysA.blindIndex(person));
    expect(keysA.blindIndex(['ab', 'c'])).not.toEqual(keysA.blindIndex(['a', 'bc']));
    expect(keysA.blindIndex(['a', ''])).not.toEqual(keysA.blindIndex(['a']));
  });

  it('stores only wrapped keys, each bound to its insurer, purpose and version', async () => {
    const rows = await t.db.transaction({ insurerId: insurerA }, (tx) => readDataKeys(tx, insurerA));
    expect(rows.map((row) => `${row.purpose}:${row.version}`)).toEqual(['encryption:1', 'fingerprint:1', 'index:1']);
    const index = rows.find((row) => row.purpose === 'index');
    if (index === undefined) throw new Error('no index key');
    expect(index.masterKeyId).toBe(master.id);
    const raw = await master.unwrap(index.wrapped, wrapAad(insurerA, 'index', 1));
    // The unwrapped bytes are the real index key, and they appear nowhere in the stored row.
    const person = ['180017512345678', '1980-01-17', '1'];
    expect(createHmac('sha256', raw).update(lengthPrefixed(person)).digest()).toEqual(keysA.blindIndex(person));
    for (const row of rows) expect(row.wrapped.includes(raw)).toBe(false);
    await expect(master.unwrap(index.wrapped, wrapAad(insurerB, 'index', 1))).rejects.toBeInstanceOf(VaultError);
    await expect(master.unwrap(index.wrapped, wrapAad(insurerA, 'fingerprint', 1))).rejects.toBeInstanceOf(VaultError);
  });

  it('creates one key set when two instances meet a new insurer at once', async () => {
    const insurer = await createInsurer(t.db, '33333333');
    const [first, second] = await Promise.all([keysOf(new Vault(master), insurer), keysOf(new Vault(master), insurer)]);
    expect(first.blindIndex(['x'])).toEqual(second.blindIndex(['x']));
    expect(second.decrypt(first.encrypt(plain, field), field)).toEqual(plain);
    const rows = await t.db.transaction({ insurerId: insurer }, (tx) => readDataKeys(tx, insurer));
    expect(rows).toHaveLength(3);
  });

  it('forgets a key created in a transaction that rolled back', async () => {
    const insurer = await createInsurer(t.db, '44444444');
    const early = new Vault(master);
    const failed = t.db.transaction({ insurerId: insurer }, async (tx) => {
      await early.keysFor(tx, insurer);
      throw new Error('load aborted');
    });
    await expect(failed).rejects.toThrow('load aborted');
    const other = await keysOf(new Vault(master), insurer);
    const again = await keysOf(early, insurer);
    expect(again.blindIndex(['x'])).toEqual(other.blindIndex(['x']));
    expect(again.decrypt(other.encrypt(plain, field), field)).toEqual(plain);
  });

  it('sees a new encryption version made by another instance, and still reads the old ones', async () => {
    const reader = new Vault(master);
    const before = await keysOf(reader, insurerA);
    const old = before.encrypt(plain, field);
    const version = await t.db.transaction({ insurerId: insurerA }, (tx) => new Vault(master).addEncryptionVersion(tx, insurerA));
    expect(version).toBe(before.encryptionVersion + 1);
    const after = await keysOf(reader, insurerA);
    expect(after.encryptionVersion).toBe(version);
    expect(after.encrypt(plain, field).readUInt32BE(1)).toBe(version);
    expect(after.decrypt(old, field)).toEqual(plain);
    expect(after.blindIndex(['x'])).toEqual(before.blindIndex(['x']));
  });

  it('reuses its cache while nothing changed', async () => {
    expect(await keysOf(vault, insurerB)).toBe(keysB);
  });

  it('refuses clearly to open keys with another master key', async () => {
    const stranger = new LocalMasterKey(randomBytes(32));
    await expect(keysOf(new Vault(stranger), insurerA)).rejects.toThrow(
      new RegExp(`enveloppée par la clé maîtresse ${master.id}, or ce processus dispose de la clé ${stranger.id}`),
    );
  });
});
