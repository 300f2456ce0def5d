import type { Tx } from '../../db/database.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { RemovalPlan } from '../ingest/removals.js';

/**
 * A full file describes the whole population: an active beneficiary it does not list is
 * removed on its date, unless a rejected line named their contract, or they are a
 * honeytoken (the insurer does not know them, so never lists them).
 */
const selectRemovals = `
  INSERT INTO stage_removal (id, member_number, quality, rank)
  SELECT b.id, c.member_number, b.quality, b.rank
    FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id
   WHERE b.insurer_id = current_insurer() AND b.removed_on IS NULL
     AND NOT EXISTS (SELECT 1 FROM stage_seen s WHERE s.blind_index = b.blind_index)
     AND NOT EXISTS (SELECT 1 FROM stage_protected p WHERE p.member_number = c.member_number)
     AND b.id <> ALL($1::bigint[])`;

/** An empty fingerprint, so that a later identical line is applied again (it brings them back). */
const applyRemovals = `
  UPDATE beneficiary b SET removed_on = $1, fingerprint = '\\x', updated_at = now()
    FROM stage_removal r WHERE b.insurer_id = current_insurer() AND b.id = r.id`;

const pageOfRemovals = 'SELECT id, member_number, quality, rank FROM stage_removal WHERE id > $1 ORDER BY id LIMIT $2';

/**
 * The removal report names the contract, and the quality (holder, spouse, child…) and
 * rank that tell its beneficiaries apart: never a NIR, never a name.
 */
export function beneficiaryRemovals(tx: Tx, on: CalendarDate, honeytokens: readonly number[], active: number): RemovalPlan {
  return {
    columns: ['adherent', 'qualite', 'rang', 'date_effet'],
    removals: 'radiations',
    population: 'bénéficiaires actifs',
    active,
    select: async () => (await tx.query(selectRemovals, [honeytokens])).rowCount,
    apply: async () => (await tx.query(applyRemovals, [on])).rowCount,
    page: async (after, limit) => {
      const rows = await tx.query<{ id: number; member_number: string; quality: number; rank: number }>(pageOfRemovals, [after, limit]);
      return rows.rows.map((row) => ({ id: Number(row.id), values: [row.member_number, row.quality, row.rank, on] }));
    },
  };
}
