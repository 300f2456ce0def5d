import type { Queryable } from '../db/database.js';
import { accessSealer } from './access-seal.js';

/** Why a professional was shown personal data: a rights check, a calculation, a prior agreement, an invoice's decision. */
export type AccessPurpose = 'rights_check' | 'coverage' | 'engagement' | 'prior_agreement' | 'invoice';

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
 * professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result,
 * staff_id, seal (exported for the database benchmark, bench/pgbench.ts).
 */
export const ACCESS_RECORD_SQL = `INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device,
                            purpose, disclosed, result, staff_id, seal)
 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $12, $13)
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
 * statement that reads; this writer serves refusals, staff exports, tools and tests. It
 * knows the whole record, so it seals the whole record (src/audit/access-seal.ts).
 */
export async function appendAccessRecord(tx: Queryable, record: AccessRecordInput): Promise<AppendedAccessRecord> {
  const professional = 'professionalId' in record ? record : null;
  const request = {
    insurerId: record.insurerId,
    professionalId: professional?.professionalId ?? null,
    siteId: professional?.siteId ?? null,
    staffId: 'staffId' in record ? record.staffId : null,
    clientId: professional?.clientId ?? null,
    sessionRef: record.sessionRef ?? null,
    ip: record.ip,
    device: professional?.device ?? null,
    purpose: record.purpose,
  };
  const outcome = { beneficiaryId: record.beneficiaryId ?? null, disclosed: [...new Set(record.disclosed)].sort(), result: record.result };
  const inserted = await tx.query<{ id: number; at: Date }>(ACCESS_RECORD_SQL, [
    request.insurerId,
    outcome.beneficiaryId,
    request.professionalId,
    request.siteId,
    request.clientId,
    request.sessionRef,
    request.ip,
    request.device,
    request.purpose,
    outcome.disclosed,
    outcome.result,
    request.staffId,
    accessSealer().seal(request, outcome),
  ]);
  const row = inserted.rows[0];
  if (row === undefined) throw new Error('INSERT sans ligne retournée');
  return row;
}
