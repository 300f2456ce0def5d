import { enterInsurerScope, scopeStatement, type Tx } from '../../db/database.js';

/**
 * An insurer's honeytokens, read from inside one of its load transactions: the table is
 * visible only in the platform scope, so the transaction steps out to read it and back in.
 * A full file never lists them (the insurer does not know them): the loader must not
 * remove them, nor count them among the active members a full file is weighed against.
 */
export async function plantedIds(tx: Tx, insurerId: number): Promise<number[]> {
  const { text, params } = scopeStatement('platform');
  await tx.query(text, params);
  const found = await tx.query<{ beneficiary_id: number }>('SELECT beneficiary_id FROM honeytoken WHERE insurer_id = $1', [insurerId]);
  await enterInsurerScope(tx, insurerId);
  return found.rows.map((row) => Number(row.beneficiary_id));
}
