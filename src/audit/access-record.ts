import type { Queryable } from '../db/database.js';

/** Why a professional was shown personal data: a rights check, a calculation, a prior agreement. */
export type AccessPurpose = 'rights_check' | 'coverage' | 'engagement';

/** What the lookup gave: a miss is logged as much as a disclosure; an export is approved. */
export type AccessResult = 'covered' | 'not_covered' | 'not_found' | 'refused' | 'error' | 'approved';

/** Who was shown: a professional at a site (their software or their session), or a member of the platform's staff. */
export type AccessActor = ProfessionalActor | { staffId: number; sessionRef: string | null; ip: string };

export interface ProfessionalActor {
  professionalId: number;
  siteId: number;
  clientId?: string | null;
  sessionRef?: string | null;
  ip: string;
  device?: string | null;
}

/**
 * One disclosure or lookup attempt. Identifiers are internal ids (never a NIR, never a
 * name); the session is named by its hash, never its cookie.
 */
export type AccessRecordInput = AccessActor & {
  /** null: the AMC number named no insurer, or a staff member's platform-wide export. */
  insurerId: number | null;
  /** null: nobody matched, or the call was refused before anyone was looked up. */
  beneficiaryId?: number | null;
  /** A staff member's record: a security officer's approved export of an incident's member numbers. */
  purpose: AccessPurpose | 'member_export';
  /** Care domains or fields disclosed; stored sorted and without repeats. */
  disclosed: readonly string[];
  result: AccessResult;
};

/**
 * The INSERT of one record, its parameters in this order: insurer_id, beneficiary_id,
 * professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result
 * (exported for the database benchmark, bench/pgbench.ts). A staff record (staff_id) goes
 * through appendAccessRecord.
 */
export const ACCESS_RECORD_SQL = `INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device,
                            purpose, disclosed, result, staff_id)
 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $12)
 RETURNING id, at`;

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
 * Disclosures to callers are written by the disclosure functions (migration 019) in the
 * statement that reads; this writer serves refusals, staff exports, tools and tests.
 */
export async function appendAccessRecord(tx: Queryable, record: AccessRecordInput): Promise<AppendedAccessRecord> {
  const professional = 'professionalId' in record ? record : null;
  const inserted = await tx.query<{ id: number; at: Date }>(ACCESS_RECORD_SQL, [
    record.insurerId,
    record.beneficiaryId ?? null,
    professional?.professionalId ?? null,
    professional?.siteId ?? null,
    professional?.clientId ?? null,
    record.sessionRef ?? null,
    record.ip,
    professional?.device ?? null,
    record.purpose,
    [...new Set(record.disclosed)].sort(),
    record.result,
    'staffId' in record ? record.staffId : null,
  ]);
  const row = inserted.rows[0];
  if (row === undefined) throw new Error('INSERT sans ligne retournée');
  return row;
}
