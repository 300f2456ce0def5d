import type { StaffContext } from '../../access/request-context.js';
import type { ExportApprovals, Officer } from '../member-export.js';

export function officerOf(context: StaffContext, ip: string): Officer {
  return { staffId: context.staff.id, sessionRef: context.session.ref, ip };
}

export function showApprovals(approvals: ExportApprovals): { demande: number; instantane: number; approbations: number; approuvee: boolean } {
  return { demande: approvals.exportId, instantane: approvals.snapshotId, approbations: approvals.approvers.length, approuvee: approvals.approved };
}
