import type { Database } from '../../db/database.js';
import { accountColumns, type AccountRef } from './accounts.js';
import { SESSION_REF_SQL } from './sessions.js';

/** An open session as its owner and the security console see it: never its cookie, only its handle. */
export interface OpenSession {
  ref: string;
  openedAt: Date;
  method: string;
  /** The last proof of presence, and where it was given. */
  provedAt: Date;
  ip: string | null;
  device: string | null;
}

/** The account's live sessions, newest first. */
export async function openSessionsOf(db: Database, account: AccountRef, now: Date): Promise<OpenSession[]> {
  const [professionalId, staffId] = accountColumns(account);
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ ref: string; created_at: Date; method: string; authenticated_at: Date; proved_ip: string | null; proved_device: string | null }>(
      `SELECT ${SESSION_REF_SQL} AS ref, created_at, method, authenticated_at, proved_ip, proved_device FROM person_session
        WHERE (professional_id = $1 OR staff_id = $2) AND revoked_at IS NULL AND expires_at > $3 ORDER BY created_at DESC`,
      [professionalId, staffId, now],
    ),
  );
  return found.rows.map((row) => ({
    ref: row.ref, openedAt: new Date(row.created_at), method: row.method, provedAt: new Date(row.authenticated_at), ip: row.proved_ip, device: row.proved_device,
  }));
}

/** Closes one of the account's own sessions by its handle; false when it has none such still open. */
export async function revokeSessionOf(db: Database, account: AccountRef, ref: string, now: Date): Promise<boolean> {
  const [professionalId, staffId] = accountColumns(account);
  const revoked = await db.transaction('platform', (tx) =>
    tx.query(
      `UPDATE person_session SET revoked_at = $4 WHERE (professional_id = $1 OR staff_id = $2) AND ${SESSION_REF_SQL} = $3 AND revoked_at IS NULL`,
      [professionalId, staffId, ref, now],
    ),
  );
  return revoked.rowCount > 0;
}
