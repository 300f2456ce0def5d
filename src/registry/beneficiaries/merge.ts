import type { Tx } from '../../db/database.js';
import type { MergeOutcome } from '../ingest/apply-lines.js';
import type { Reject } from '../ingest/reject-report.js';
import { stageColumns, type StagedBatch } from './stage.js';

/**
 * A beneficiary may appear once per file: the first occurrence wins, later ones are
 * reported. Within a batch, stageBatch already dropped repeats; across batches, the
 * seen-set lives in a temporary table, not in the loader's memory, so a 33-million-line
 * file stays within bounded memory.
 */
const markDuplicates = `
  WITH first AS (
    INSERT INTO stage_seen (blind_index) SELECT blind_index FROM stage_beneficiary
    ON CONFLICT DO NOTHING RETURNING blind_index)
  UPDATE stage_beneficiary s SET skip = true
   WHERE NOT EXISTS (SELECT 1 FROM first f WHERE f.blind_index = s.blind_index)
  RETURNING line`;

/** M and C need an active beneficiary, S a known one. */
const markUnknown = `
  UPDATE stage_beneficiary s SET skip = true
   WHERE NOT s.skip AND s.op IN ('M', 'C', 'S')
     AND NOT EXISTS (SELECT 1 FROM beneficiary b WHERE b.insurer_id = $1 AND b.blind_index = s.blind_index
                       AND (s.op = 'S' OR b.removed_on IS NULL))
  RETURNING line`;

/** The last line of a contract in the batch sets it; an unchanged contract is not rewritten. */
const upsertContracts = `
  INSERT INTO contract (insurer_id, member_number, product_id, convention_code, valid_from, valid_to)
  SELECT DISTINCT ON (member_number) $1, member_number, product_id, convention, contract_from, contract_to
    FROM stage_beneficiary WHERE op IN ('A', 'M') AND NOT skip ORDER BY member_number, line DESC
  ON CONFLICT (insurer_id, member_number) DO UPDATE
     SET product_id = excluded.product_id, convention_code = excluded.convention_code,
         valid_from = excluded.valid_from, valid_to = excluded.valid_to
   WHERE (contract.product_id, contract.convention_code, contract.valid_from, contract.valid_to)
         IS DISTINCT FROM (excluded.product_id, excluded.convention_code, excluded.valid_from, excluded.valid_to)`;

/** Adds or replaces; a line whose fingerprint matches the stored one rewrites nothing. */
const upsertBeneficiaries = `
  INSERT INTO beneficiary (insurer_id, contract_id, blind_index, rank, quality, identity, key_version, fingerprint, rights)
  SELECT $1, c.id, s.blind_index, s.rank, s.quality, s.identity, s.key_version, s.fingerprint, s.rights
    FROM stage_beneficiary s JOIN contract c ON c.insurer_id = $1 AND c.member_number = s.member_number
   WHERE s.op IN ('A', 'M') AND NOT s.skip
  ON CONFLICT (insurer_id, blind_index) DO UPDATE
     SET contract_id = excluded.contract_id, rank = excluded.rank, quality = excluded.quality,
         identity = excluded.identity, key_version = excluded.key_version, fingerprint = excluded.fingerprint,
         rights = excluded.rights, removed_on = NULL, updated_at = now()
   WHERE beneficiary.fingerprint <> excluded.fingerprint OR beneficiary.removed_on IS NOT NULL
      OR beneficiary.contract_id <> excluded.contract_id`;

/** C and S leave an empty fingerprint, so that a later identical A line is applied again. */
const closeRights = `
  UPDATE beneficiary b SET rights = close_rights(b.rights, s.effect_date), fingerprint = '\\x', updated_at = now()
    FROM stage_beneficiary s
   WHERE s.op = 'C' AND NOT s.skip AND b.insurer_id = $1 AND b.blind_index = s.blind_index
     AND b.rights IS DISTINCT FROM close_rights(b.rights, s.effect_date)`;

const removeBeneficiaries = `
  UPDATE beneficiary b SET removed_on = s.effect_date, fingerprint = '\\x', updated_at = now()
    FROM stage_beneficiary s
   WHERE s.op = 'S' AND NOT s.skip AND b.insurer_id = $1 AND b.blind_index = s.blind_index
     AND b.removed_on IS NULL`;

export async function mergeBatch(tx: Tx, insurerId: number, batch: StagedBatch): Promise<MergeOutcome> {
  // Temporary tables are never vacuumed: TRUNCATE, not DELETE, or every batch scans the
  // dead rows of all the previous ones; ANALYZE so that the planner joins by index.
  await tx.query('TRUNCATE stage_beneficiary');
  if (batch.rows === 0) return { applied: 0, rejects: [] };
  await tx.copyFrom('stage_beneficiary', stageColumns, batch.text);
  await tx.query('ANALYZE stage_beneficiary');
  const duplicates = await tx.query<{ line: number }>(markDuplicates);
  const unknown = await tx.query<{ line: number }>(markUnknown, [insurerId]);
  await tx.query(upsertContracts, [insurerId]);
  let applied = 0;
  for (const statement of [upsertBeneficiaries, closeRights, removeBeneficiaries]) {
    applied += (await tx.query(statement, [insurerId])).rowCount;
  }
  const rejects: Reject[] = [
    ...duplicates.rows.map((row): Reject => ({ line: row.line, field: 'nir', code: 'BENEFICIARY_DUPLICATE', message: '' })),
    ...unknown.rows.map((row): Reject => ({ line: row.line, field: 'nir', code: 'BENEFICIARY_UNKNOWN', message: '' })),
  ];
  return { applied, rejects };
}

/** A full file describes the whole population: whoever it does not list is removed. */
export async function removeAbsent(tx: Tx, insurerId: number, on: string): Promise<number> {
  const removed = await tx.query(
    `UPDATE beneficiary b SET removed_on = $2, fingerprint = '\\x', updated_at = now()
      WHERE b.insurer_id = $1 AND b.removed_on IS NULL
        AND NOT EXISTS (SELECT 1 FROM stage_seen s WHERE s.blind_index = b.blind_index)`,
    [insurerId, on],
  );
  return removed.rowCount;
}
