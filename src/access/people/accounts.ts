import type { Database, Queryable } from '../../db/database.js';
import { todayUtc } from '../../domain/dates.js';

/** Who a session, a passkey or a challenge belongs to: a professional or a staff member. */
export type AccountRef = { kind: 'professional'; id: number } | { kind: 'staff'; id: number };

export type StaffRole = 'insurer_agent' | 'security_officer' | 'operator_admin';

/** A professional allowed in today: practising somewhere, not suspended. */
export interface ProfessionalAccount {
  kind: 'professional';
  id: number;
  rpps: string;
  /** Sites administered today: holder or partner of an active activity, or delegated. */
  adminSites: number[];
}

export interface StaffAccount {
  kind: 'staff';
  id: number;
  subject: string;
  name: string;
  role: StaffRole;
  /** The one insurer an agent works for; null for the platform's own staff. */
  insurerId: number | null;
}

export type Account = ProfessionalAccount | StaffAccount;

/** The (professional_id, staff_id) pair of the tables that belong to either. */
export function accountColumns(account: AccountRef | null): [number | null, number | null] {
  if (!account) return [null, null];
  return account.kind === 'professional' ? [account.id, null] : [null, account.id];
}

/** Where the account is written in the logs: RPPS, or the staff member's subject. */
export function accountLabel(account: Account): string {
  return account.kind === 'professional' ? `RPPS ${account.rpps}` : `agent ${account.subject}`;
}

/**
 * The professional behind an id or an RPPS, if allowed in on `now`'s day: an activity in
 * the directory that day and no open suspension. Re-read at every request, so a departure
 * or a suspension closes live sessions at once.
 */
export async function findProfessionalAccount(tx: Queryable, by: { id: number } | { rpps: string }, now: Date): Promise<ProfessionalAccount | undefined> {
  const [column, value] = 'id' in by ? ['id', by.id] : ['rpps', by.rpps];
  const found = await tx.query<{ id: number; rpps: string; admin_sites: number[] }>(
    `SELECT p.id, p.rpps, ARRAY(
              SELECT a.site_id FROM activity a WHERE a.professional_id = p.id AND a.role IN ('titulaire', 'associe')
                 AND active_on(a.started_on, a.ended_on, $2::date)
              UNION
              SELECT d.site_id FROM site_delegation d WHERE d.professional_id = p.id AND d.revoked_at IS NULL AND d.until >= $2::date
                 AND EXISTS (SELECT 1 FROM activity a WHERE a.professional_id = p.id AND a.site_id = d.site_id
                               AND active_on(a.started_on, a.ended_on, $2::date))
              ORDER BY 1) AS admin_sites
       FROM professional p
      WHERE p.${column} = $1 AND NOT professional_suspended(p.id)
        AND EXISTS (SELECT 1 FROM activity a WHERE a.professional_id = p.id AND active_on(a.started_on, a.ended_on, $2::date))`,
    [value, todayUtc(now)],
  );
  const row = found.rows[0];
  return row && { kind: 'professional', id: Number(row.id), rpps: row.rpps, adminSites: row.admin_sites.map(Number) };
}

/** The staff member behind an id or a provider subject, unless suspended. */
export async function findStaffAccount(tx: Queryable, by: { id: number } | { subject: string }): Promise<StaffAccount | undefined> {
  const [column, value] = 'id' in by ? ['id', by.id] : ['subject', by.subject];
  const found = await tx.query<{ id: number; subject: string; display_name: string; role: StaffRole; insurer_id: number | null }>(
    `SELECT id, subject, display_name, role, insurer_id FROM staff_member WHERE ${column} = $1 AND NOT staff_suspended(id)`,
    [value],
  );
  const row = found.rows[0];
  return row && { kind: 'staff', id: Number(row.id), subject: row.subject, name: row.display_name, role: row.role, insurerId: row.insurer_id };
}

/** The account behind a reference, if it may still come in. */
export async function findAccount(db: Database, ref: AccountRef, now: Date): Promise<Account | undefined> {
  return ref.kind === 'professional' ? findProfessionalAccount(db, { id: ref.id }, now) : findStaffAccount(db, { id: ref.id });
}
