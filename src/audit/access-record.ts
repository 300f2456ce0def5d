import type { Queryable } from '../db/database.js';

/** Why personal data was looked up. */
export type AccessPurpose = 'rights_check' | 'coverage' | 'engagement';

/** What the lookup gave: a miss is logged as much as a disclosure. */
export type AccessResult = 'covered' | 'not_covered' | 'not_found' | 'refused' | 'error';

/**
 * One disclosure or lookup attempt, as a route knows it. Identifiers are internal ids
 * (never a NIR, never a name); the session is named by its hash, never its cookie.
 */
export interface AccessRecordInput {
  /** null: the AMC number named no insurer. */
  insurerId: number | null;
  /** null: nobody matched. */
  beneficiaryId: number | null;
  professionalId: number;
  siteId: number;
  clientId?: string | null;
  sessionRef?: string | null;
  ip: string;
  device?: string | null;
  purpose: AccessPurpose;
  /** Care domains or fields disclosed; stored sorted and without repeats. */
  disclosed: readonly string[];
  result: AccessResult;
}

/**
 * The one statement of the hot path, its parameters in this order: insurer_id,
 * beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose,
 * disclosed, result (exported for the database benchmark, bench/pgbench.ts).
 */
export const ACCESS_RECORD_SQL = accessRecordInsert(0);

/** The INSERT with its parameters numbered from `offset + 1`, to follow a caller's own statement. */
function accessRecordInsert(offset: number): string {
  const $ = (n: number): string => `$${offset + n}`;
  return `INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device,
                            purpose, disclosed, result)
 VALUES (${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}, ${$(10)}::text[], ${$(11)})
 RETURNING id, at`;
}

/**
 * A write of the caller's that goes with the record, in the same statement: a
 * data-modifying CTE (`name AS (INSERT …)`) whose parameters come first. One round trip
 * instead of two on the hot path (the rights check's engagement).
 */
export interface CompanionWrite {
  cte: string;
  params: readonly unknown[];
}

export interface AppendedAccessRecord {
  id: number;
  at: Date;
}

/**
 * Logs one access in the caller's transaction, with one INSERT and no lock: the record
 * commits or rolls back with the disclosure it describes (THREATS.md point 4). The
 * database sets id, time and transaction id; the sequencer (src/audit/sequencer.ts) later
 * gives the record its place in the Merkle tree. In an insurer's scope, row-level security
 * accepts only that insurer's records; a miss without insurer is logged in platform scope.
 */
export async function appendAccessRecord(tx: Queryable, record: AccessRecordInput, companion?: CompanionWrite): Promise<AppendedAccessRecord> {
  const disclosed = [...new Set(record.disclosed)].sort();
  const sql = companion ? `WITH ${companion.cte} ${accessRecordInsert(companion.params.length)}` : ACCESS_RECORD_SQL;
  const inserted = await tx.query<{ id: number; at: Date }>(sql, [
    ...(companion?.params ?? []),
    record.insurerId,
    record.beneficiaryId,
    record.professionalId,
    record.siteId,
    record.clientId ?? null,
    record.sessionRef ?? null,
    record.ip,
    record.device ?? null,
    record.purpose,
    disclosed,
    record.result,
  ]);
  const row = inserted.rows[0];
  if (row === undefined) throw new Error('INSERT sans ligne retournée');
  return row;
}

/** A disclosure to a member of the platform's staff (016): no professional, no site. */
export interface StaffAccessRecordInput {
  staffId: number;
  insurerId: number | null;
  sessionRef: string | null;
  ip: string;
  /** Why: a security officer's approval of an incident's member files. */
  purpose: 'member_export';
  disclosed: readonly string[];
  result: 'approved';
}

/** Logs a disclosure to a member of staff in the caller's transaction (platform scope). */
export async function appendStaffAccessRecord(tx: Queryable, record: StaffAccessRecordInput): Promise<AppendedAccessRecord> {
  const inserted = await tx.query<{ id: number; at: Date }>(
    `INSERT INTO access_record (staff_id, insurer_id, session_ref, ip, purpose, disclosed, result)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7) RETURNING id, at`,
    [record.staffId, record.insurerId, record.sessionRef, record.ip, record.purpose, [...new Set(record.disclosed)].sort(), record.result],
  );
  const row = inserted.rows[0];
  if (row === undefined) throw new Error('INSERT sans ligne retournée');
  return row;
}
