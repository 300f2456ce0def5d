import type { Database } from '../../db/database.js';
import { asBuffer } from '../encoding.js';
import { beneficiaryIdentity } from '../field-cipher.js';
import type { Vault } from '../vault.js';

export async function createInsurer(db: Database, amcNumber: string): Promise<number> {
  const result = await db.transaction('platform', (tx) =>
    tx.query<{ id: number }>(`INSERT INTO insurer (amc_number, name, kind) VALUES ($1, $2, 'mutuelle') RETURNING id`, [
      amcNumber,
      `Mutuelle ${amcNumber}`,
    ]),
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error('insurer not created');
  return row.id;
}

/** One product and contract, then `count` beneficiaries whose identity is "person <n>", sealed by `vault`. */
export async function seedBeneficiaries(db: Database, vault: Vault, insurerId: number, count: number): Promise<void> {
  await db.transaction({ insurerId }, async (tx) => {
    const keys = await vault.keysFor(tx, insurerId);
    await tx.query(`INSERT INTO product (insurer_id, id, code, label, level, responsible) VALUES ($1, 1, 'P1', 'Essentiel', 'entree', true)`, [
      insurerId,
    ]);
    await tx.query(
      `INSERT INTO contract (insurer_id, id, member_number, product_id, valid_from) VALUES ($1, 1, 'M1', 1, '2026-01-01')`,
      [insurerId],
    );
    for (let n = 1; n <= count; n += 1) {
      const blindIndex = keys.blindIndex([`nir-${n}`, '1980-01-01', '1']);
      const identity = keys.encrypt(Buffer.from(`person ${n}`), beneficiaryIdentity(blindIndex));
      await tx.query(
        `INSERT INTO beneficiary (insurer_id, contract_id, blind_index, rank, quality, identity, key_version, fingerprint, rights)
         VALUES ($1, 1, $2, 1, 0, $3, $4, $5, '[]')`,
        [insurerId, blindIndex, identity, keys.encryptionVersion, keys.fingerprint([`person ${n}`])],
      );
    }
  });
}

export interface StoredIdentity {
  keyVersion: number;
  sealedVersion: number;
  plain: string;
}

/** Every beneficiary of the insurer, decrypted through `vault` exactly as a reader would. */
export async function readIdentities(db: Database, vault: Vault, insurerId: number): Promise<StoredIdentity[]> {
  return db.transaction({ insurerId }, async (tx) => {
    const keys = await vault.keysFor(tx, insurerId);
    const { rows } = await tx.query<{ blind_index: Uint8Array; identity: Uint8Array; key_version: number }>(
      'SELECT blind_index, identity, key_version FROM beneficiary ORDER BY id',
    );
    return rows.map((row) => {
      const sealed = asBuffer(row.identity);
      const plain = keys.decrypt(sealed, beneficiaryIdentity(asBuffer(row.blind_index)));
      return { keyVersion: row.key_version, sealedVersion: sealed.readUInt32BE(1), plain: plain.toString() };
    });
  });
}

export function expectedIdentities(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `person ${i + 1}`);
}
