import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';

/** The account to suspend: a professional by RPPS, or a staff member by subject. */
export type SuspensionTarget = { rpps: string } | { subject: string };

export interface Suspension {
  id: number;
  account: string;
  reason: string;
  suspendedBy: string;
  suspendedAt: Date;
}

/**
 * Suspends an account at once: its sessions are revoked in the same transaction, and
 * practice software can no longer act in its name (every request re-checks). Every other
 * account keeps working. Written to the authentication log.
 */
export async function suspendAccount(db: Database, target: SuspensionTarget, reason: string, by: string, now: Date): Promise<number> {
  return db.transaction('platform', async (tx) => {
    const account = 'rpps' in target
      ? await tx.query<{ id: number }>('SELECT id FROM professional WHERE rpps = $1', [target.rpps])
      : await tx.query<{ id: number }>('SELECT id FROM staff_member WHERE subject = $1', [target.subject]);
    const id = account.rows[0]?.id;
    if (id === undefined) throw new RempartError('ACCOUNT_UNKNOWN');
    const column = 'rpps' in target ? 'professional_id' : 'staff_id';
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO account_suspension (${column}, reason, suspended_by, suspended_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (${column}) WHERE lifted_at IS NULL DO NOTHING RETURNING id`,
      [id, reason, by, now],
    );
    const suspension = inserted.rows[0]?.id;
    if (suspension === undefined) throw new RempartError('ACCOUNT_ALREADY_SUSPENDED');
    await tx.query(`UPDATE person_session SET revoked_at = $2 WHERE ${column} = $1 AND revoked_at IS NULL`, [id, now]);
    await tx.query("INSERT INTO auth_event (kind, outcome, reason, subject) VALUES ('suspension', 'success', $1, $2)", [
      `suspension ${suspension} par ${by} : ${reason}`,
      accountName(target),
    ]);
    return Number(suspension);
  });
}

/** Who suspends when no person does: the shield (src/shield). */
export const SHIELD_ACTOR = 'bouclier';

/** A lift done (with the professional restored; null for a staff account), or waiting for a second officer. */
export type Lift = { status: 'lifted'; professionalId: number | null } | { status: 'pending' };

/**
 * Lifts a suspension, with a reason; four eyes. A suspension an officer imposed is lifted
 * by another officer. One the shield imposed has no person behind it: a first officer
 * requests the lift, a second one (not the first) confirms it.
 */
export async function liftSuspension(db: Database, id: number, by: string, reason: string, now: Date): Promise<Lift> {
  return db.transaction('platform', async (tx) => {
    const open = await tx.query<{ suspended_by: string; lift_requested_by: string | null; lift_reason: string | null; professional_id: number | null }>(
      'SELECT suspended_by, lift_requested_by, lift_reason, professional_id FROM account_suspension WHERE id = $1 AND lifted_at IS NULL FOR UPDATE',
      [id],
    );
    const row = open.rows[0];
    if (!row) throw new RempartError('SUSPENSION_UNKNOWN');
    if (row.suspended_by === by || row.lift_requested_by === by) throw new RempartError('SUSPENSION_SAME_OFFICER');
    if (row.suspended_by === SHIELD_ACTOR && row.lift_requested_by === null) {
      await tx.query('UPDATE account_suspension SET lift_requested_by = $2, lift_requested_at = $3, lift_reason = $4 WHERE id = $1', [id, by, now, reason]);
      await tx.query("INSERT INTO auth_event (kind, outcome, reason) VALUES ('suspension', 'success', $1)", [`levée de la suspension ${id} demandée par ${by} : ${reason}`]);
      return { status: 'pending' };
    }
    const reasons = row.lift_reason === null ? reason : `${row.lift_reason} / ${reason}`;
    await tx.query('UPDATE account_suspension SET lifted_by = $2, lifted_at = $3, lift_reason = $4 WHERE id = $1', [id, by, now, reasons]);
    await tx.query("INSERT INTO auth_event (kind, outcome, reason) VALUES ('suspension', 'success', $1)", [`suspension ${id} levée par ${by} : ${reason}`]);
    return { status: 'lifted', professionalId: row.professional_id === null ? null : Number(row.professional_id) };
  });
}

/** Open suspensions, newest first. */
export async function openSuspensions(db: Database): Promise<Suspension[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ id: number; rpps: string | null; subject: string | null; reason: string; suspended_by: string; suspended_at: Date }>(
      `SELECT x.id, p.rpps, m.subject, x.reason, x.suspended_by, x.suspended_at
         FROM account_suspension x LEFT JOIN professional p ON p.id = x.professional_id LEFT JOIN staff_member m ON m.id = x.staff_id
        WHERE x.lifted_at IS NULL ORDER BY x.suspended_at DESC, x.id DESC LIMIT 1000`,
    ),
  );
  return found.rows.map((row) => ({
    id: Number(row.id),
    account: row.rpps === null ? `agent ${row.subject ?? ''}` : `RPPS ${row.rpps}`,
    reason: row.reason,
    suspendedBy: row.suspended_by,
    suspendedAt: new Date(row.suspended_at),
  }));
}

function accountName(target: SuspensionTarget): string {
  return 'rpps' in target ? `RPPS ${target.rpps}` : `agent ${target.subject}`;
}
