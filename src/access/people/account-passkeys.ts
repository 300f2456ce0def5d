import type { Database } from '../../db/database.js';
import { accountColumns, type AccountRef } from './accounts.js';

/** A passkey as its owner and the security console see it: its identifier, never its key. */
export interface RegisteredPasskey {
  id: string;
  registeredAt: Date;
  lastUsedAt: Date | null;
  /** Where it was registered (null for passkeys registered before this was kept). */
  ip: string | null;
  device: string | null;
}

/** The account's passkeys, newest first. */
export async function passkeysOf(db: Database, account: AccountRef): Promise<RegisteredPasskey[]> {
  const [professionalId, staffId] = accountColumns(account);
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ credential_id: string; created_at: Date; last_used_at: Date | null; registered_ip: string | null; registered_device: string | null }>(
      `SELECT credential_id, created_at, last_used_at, registered_ip, registered_device FROM passkey
        WHERE professional_id = $1 OR staff_id = $2 ORDER BY created_at DESC, credential_id`,
      [professionalId, staffId],
    ),
  );
  return found.rows.map((row) => ({
    id: row.credential_id,
    registeredAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
    ip: row.registered_ip,
    device: row.registered_device,
  }));
}

/** Removes one of the account's own passkeys: it no longer logs in nor answers a step-up. False when the account has no such passkey. */
export async function revokePasskey(db: Database, account: AccountRef, credentialId: string): Promise<boolean> {
  const [professionalId, staffId] = accountColumns(account);
  const removed = await db.transaction('platform', (tx) =>
    tx.query('DELETE FROM passkey WHERE credential_id = $1 AND (professional_id = $2 OR staff_id = $3)', [credentialId, professionalId, staffId]),
  );
  return removed.rowCount > 0;
}
