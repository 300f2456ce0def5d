import { appendAccessRecord } from '../audit/access-record.js';
import type { Database, Tx } from '../db/database.js';
import { disclose } from '../disclosure/door.js';
import { RempartError } from '../domain/errors/codes.js';
import { staffAudience, type Officer } from './staff-audience.js';

export type { Officer };

export interface ExportApprovals {
  exportId: number;
  snapshotId: number;
  /** Officers who approved, the requester first. */
  approvers: number[];
  approved: boolean;
}

/** Two officers, two pairs of eyes (THREATS.md point 9). */
export const APPROVALS_NEEDED = 2;

/**
 * Asks to turn a snapshot's pseudonymous ids back into member numbers; the request is the
 * requester's own approval. Nothing is disclosed until a second officer approves.
 */
export function requestMemberExport(db: Database, snapshotId: number, reason: string, officer: Officer): Promise<ExportApprovals> {
  return exportDoor(db, officer, async (tx) => {
    const snapshot = await tx.query('SELECT 1 FROM incident_snapshot WHERE id = $1', [snapshotId]);
    if (snapshot.rowCount === 0) throw new RempartError('INCIDENT_SNAPSHOT_UNKNOWN', `instantané ${snapshotId}`);
    const created = await tx.query<{ id: number }>('INSERT INTO member_export (snapshot_id, reason, requested_by) VALUES ($1, $2, $3) RETURNING id::int AS id', [
      snapshotId,
      reason,
      officer.staffId,
    ]);
    const exportId = created.rows[0]?.id;
    if (exportId === undefined) throw new Error('demande non créée');
    await approve(tx, exportId, officer);
    return approvalsOf(tx, exportId);
  });
}

/** A second officer's approval (the requester cannot approve twice). */
export function approveMemberExport(db: Database, exportId: number, officer: Officer): Promise<ExportApprovals> {
  return exportDoor(db, officer, async (tx) => {
    const current = await approvalsOf(tx, exportId);
    if (current.approvers.includes(officer.staffId)) throw new RempartError('MEMBER_EXPORT_SAME_OFFICER');
    if (!current.approved) await approve(tx, exportId, officer);
    return approvalsOf(tx, exportId);
  });
}

/**
 * Through the door (src/disclosure), in the platform's scope: the approval's record is
 * written with it; an unknown snapshot or export, or a second approval by the same
 * officer, is recorded as a miss or a refusal in the officer's name.
 */
function exportDoor(db: Database, officer: Officer, work: (tx: Tx) => Promise<ExportApprovals>): Promise<ExportApprovals> {
  return disclose(db, staffAudience(officer), {
    purpose: 'member_export',
    insurer: () => Promise.resolve(null),
    work: async (tx) => ({ answer: await work(tx), seen: null }),
  }, new Date());
}

/**
 * The approvals of an export. No lock: the primary key keeps an officer from approving
 * twice, and two officers approving at once leave three approvals, which is still four eyes.
 */
export async function approvalsOf(tx: Tx, exportId: number): Promise<ExportApprovals> {
  const request = await tx.query<{ snapshot_id: number }>('SELECT snapshot_id::int AS snapshot_id FROM member_export WHERE id = $1', [exportId]);
  const snapshotId = request.rows[0]?.snapshot_id;
  if (snapshotId === undefined) throw new RempartError('MEMBER_EXPORT_UNKNOWN', `demande ${exportId}`);
  const approvals = await tx.query<{ staff_id: number }>('SELECT staff_id::int AS staff_id FROM member_export_approval WHERE export_id = $1 ORDER BY approved_at, staff_id', [exportId]);
  const approvers = approvals.rows.map((row) => row.staff_id);
  return { exportId, snapshotId, approvers, approved: approvers.length >= APPROVALS_NEEDED };
}

/** An approval is a disclosure of member numbers to that officer: logged as one. */
async function approve(tx: Tx, exportId: number, officer: Officer): Promise<void> {
  const role = await tx.query<{ role: string }>('SELECT role FROM staff_member WHERE id = $1', [officer.staffId]);
  if (role.rows[0]?.role !== 'security_officer') throw new RempartError('AUTH_FORBIDDEN', 'réservé aux responsables de la sécurité');
  const record = await appendAccessRecord(tx, {
    staffId: officer.staffId,
    insurerId: null,
    sessionRef: officer.sessionRef,
    ip: officer.ip,
    purpose: 'member_export',
    disclosed: ['member_number', 'rank'],
    result: 'approved',
  });
  await tx.query('INSERT INTO member_export_approval (export_id, staff_id, access_record_id) VALUES ($1, $2, $3)', [exportId, officer.staffId, record.id]);
}
