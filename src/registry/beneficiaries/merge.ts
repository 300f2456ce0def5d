import type { Tx } from '../../db/database.js';
import { closeRights, formatRights, parseStoredRights } from '../../domain/coverage/rights.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { MergeOutcome } from '../ingest/apply-lines.js';
import type { Reject } from '../ingest/reject-report.js';
import { markContractConflicts } from './contract-products.js';
import { stageColumns, type StagedBatch } from './stage.js';

/**
 * A beneficiary may appear once per file: the first occurrence wins, later ones are
 * reported. Within a batch, stageBatch already dropped repeats; across batches, the
 * seen-set lives in a temporary table, not in the loader's memory, so a 33-million-line
 * file stays within bounded memory. A `K` row with only a member number names no one.
 */
const markDuplicates = `
  WITH first AS (
    INSERT INTO stage_seen (blind_index) SELECT blind_index FROM stage_beneficiary WHERE blind_index IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING blind_index)
  UPDATE stage_beneficiary s SET skip = true
   WHERE s.blind_index IS NOT NULL AND NOT EXISTS (SELECT 1 FROM first f WHERE f.blind_index = s.blind_index)
  RETURNING line`;

/** M and C need an active beneficiary, S a known one. */
const markUnknown = `
  UPDATE stage_beneficiary s SET skip = true
   WHERE NOT s.skip AND s.op IN ('M', 'C', 'S')
     AND NOT EXISTS (SELECT 1 FROM beneficiary b WHERE b.insurer_id = current_insurer() AND b.blind_index = s.blind_index
                       AND (s.op = 'S' OR b.removed_on IS NULL))
  RETURNING line`;

/**
 * Every rejected line that names a contract keeps it whole from the full file's removals:
 * the line might have listed any of its beneficiaries.
 */
const protectContracts = `
  INSERT INTO stage_protected (member_number)
  SELECT DISTINCT member_number FROM stage_beneficiary WHERE (op = 'K' OR skip) AND member_number IS NOT NULL
  ON CONFLICT DO NOTHING`;

/** The last line of a contract in the batch sets it; an unchanged contract is not rewritten. */
const upsertContracts = `
  INSERT INTO contract (insurer_id, member_number, product_id, convention_code, valid_from, valid_to)
  SELECT DISTINCT ON (member_number) current_insurer(), member_number, product_id, convention, contract_from, contract_to
    FROM stage_beneficiary WHERE op IN ('A', 'M') AND NOT skip ORDER BY member_number, line DESC
  ON CONFLICT (insurer_id, member_number) DO UPDATE
     SET product_id = excluded.product_id, convention_code = excluded.convention_code,
         valid_from = excluded.valid_from, valid_to = excluded.valid_to
   WHERE (contract.product_id, contract.convention_code, contract.valid_from, contract.valid_to)
         IS DISTINCT FROM (excluded.product_id, excluded.convention_code, excluded.valid_from, excluded.valid_to)`;

/** Adds or replaces; a line whose fingerprint matches the stored one rewrites nothing. */
const upsertBeneficiaries = `
  INSERT INTO beneficiary (insurer_id, contract_id, blind_index, rank, quality, identity, key_version, fingerprint, rights)
  SELECT current_insurer(), c.id, s.blind_index, s.rank, s.quality, s.identity, s.key_version, s.fingerprint, s.rights
    FROM stage_beneficiary s JOIN contract c ON c.insurer_id = current_insurer() AND c.member_number = s.member_number
   WHERE s.op IN ('A', 'M') AND NOT s.skip
  ON CONFLICT (insurer_id, blind_index) DO UPDATE
     SET contract_id = excluded.contract_id, rank = excluded.rank, quality = excluded.quality,
         identity = excluded.identity, key_version = excluded.key_version, fingerprint = excluded.fingerprint,
         rights = excluded.rights, removed_on = NULL, updated_at = now()
   WHERE beneficiary.fingerprint <> excluded.fingerprint OR beneficiary.removed_on IS NOT NULL
      OR beneficiary.contract_id <> excluded.contract_id`;

/** C and S leave an empty fingerprint, so that a later identical A line is applied again. */
const rightsToClose = `
  SELECT encode(b.blind_index, 'hex') AS blind_index, b.rights, s.effect_date
    FROM stage_beneficiary s JOIN beneficiary b ON b.insurer_id = current_insurer() AND b.blind_index = s.blind_index
   WHERE s.op = 'C' AND NOT s.skip`;

const writeClosedRights = `
  UPDATE beneficiary b SET rights = u.rights, fingerprint = '\\x', updated_at = now()
    FROM unnest($1::text[], $2::text[]) AS u(blind_index, rights)
   WHERE b.insurer_id = current_insurer() AND b.blind_index = decode(u.blind_index, 'hex')`;

const removeBeneficiaries = `
  UPDATE beneficiary b SET removed_on = s.effect_date, fingerprint = '\\x', updated_at = now()
    FROM stage_beneficiary s
   WHERE s.op = 'S' AND NOT s.skip AND b.insurer_id = current_insurer() AND b.blind_index = s.blind_index
     AND b.removed_on IS NULL`;

/** Replaces the staging rows with the batch's (TRUNCATE: temporary tables are never vacuumed). */
export async function uploadBatch(tx: Tx, batch: StagedBatch): Promise<void> {
  await tx.query('TRUNCATE stage_beneficiary');
  if (batch.rows > 0) await tx.copyFrom('stage_beneficiary', stageColumns, batch.text);
}

/** `lateConflicts`: contracts refused here of which an earlier batch already merged lines. */
export type BeneficiaryMerge = MergeOutcome & { lateConflicts: string[] };

/**
 * Every set-based step in a single round trip, which the server works through while this
 * process prepares the next batch; then rights closings, which need the domain's rule and
 * so a second trip, only when there are any.
 */
export async function mergeBatch(tx: Tx, batch: StagedBatch): Promise<BeneficiaryMerge> {
  if (batch.rows === 0) return { applied: 0, rejects: [], lateConflicts: [] };
  const steps = [markDuplicates, markUnknown, markContractConflicts, protectContracts, upsertContracts, upsertBeneficiaries, removeBeneficiaries];
  // ANALYZE: a temporary table has no statistics otherwise, and the joins go quadratic.
  const [, duplicates, unknown, conflicts, , , upserted, removed] = await tx.script(['ANALYZE stage_beneficiary', ...steps].join(';\n'));
  const closed = batch.closings > 0 ? await applyClosings(tx) : 0;
  const lines = (result: typeof duplicates): number[] => (result?.rows ?? []).map((row) => row.line as number);
  const conflicted = (conflicts?.rows ?? []) as { line: number; member_number: string; reaches_back: boolean }[];
  const rejects: Reject[] = [
    ...lines(duplicates).map((line): Reject => ({ line, field: 'nir', code: 'BENEFICIARY_DUPLICATE', message: '' })),
    ...lines(unknown).map((line): Reject => ({ line, field: 'nir', code: 'BENEFICIARY_UNKNOWN', message: '' })),
    ...conflicted.map((row): Reject => ({ line: row.line, field: 'produit', code: 'CONTRACT_PRODUCT_CONFLICT', message: '' })),
  ];
  const lateConflicts = [...new Set(conflicted.filter((row) => row.reaches_back).map((row) => row.member_number))];
  return { applied: (upserted?.rowCount ?? 0) + (removed?.rowCount ?? 0) + closed, rejects, lateConflicts };
}

/** Rights are closed here rather than in SQL: one rule, in the domain, for every reader. */
async function applyClosings(tx: Tx): Promise<number> {
  const rows = await tx.query<{ blind_index: string; rights: string; effect_date: CalendarDate }>(rightsToClose);
  const changed = rows.rows
    .map((row) => ({ key: row.blind_index, before: row.rights, after: formatRights(closeRights(parseStoredRights(row.rights), row.effect_date)) }))
    .filter((row) => row.after !== row.before);
  if (changed.length === 0) return 0;
  const written = await tx.query(writeClosedRights, [changed.map((row) => row.key), changed.map((row) => row.after)]);
  return written.rowCount;
}
