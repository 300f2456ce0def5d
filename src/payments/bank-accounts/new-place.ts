import type { Database, Queryable } from '../../db/database.js';
import { SESSION_REF_SQL, type ProvedFrom } from '../../access/people/sessions.js';
import { networkOf } from '../../http/network.js';
import { insertAlert } from '../../shield/db-sink.js';

/**
 * How old a session must be for its device and network to count as the proposer's own: a
 * session an attacker opened this morning from their machine does not make it "known".
 */
export const KNOWN_AFTER_MS = 24 * 3_600_000;

/**
 * Whether a proposal comes from a device or a network its proposer had not used before:
 * none of their other sessions, opened a day or more ago, was proved from this network,
 * or none from this device. Either one new is enough here (stricter than the shield's
 * "moved", which needs both): a bank account is money, and the consequence is only that
 * the operator, not a co-administrator, confirms.
 */
export async function fromNewPlace(db: Database, professionalId: number, sessionRef: string, here: ProvedFrom, now: Date): Promise<boolean> {
  const seen = await db.query<{ proved_ip: string | null; proved_device: string | null }>(
    `SELECT proved_ip, proved_device FROM person_session
      WHERE professional_id = $1 AND ${SESSION_REF_SQL} <> $2 AND created_at <= $3`,
    [professionalId, sessionRef, new Date(now.getTime() - KNOWN_AFTER_MS)],
  );
  const network = networkOf(here.ip);
  const knownNetwork = seen.rows.some((row) => row.proved_ip !== null && networkOf(row.proved_ip) === network);
  const knownDevice = seen.rows.some((row) => row.proved_device !== null && row.proved_device === here.device);
  return !(knownNetwork && knownDevice);
}

/**
 * The shield's account alert for such a proposal, on the security console with the others,
 * written in the proposal's transaction: no proposal stands without its alert, and a
 * proposal refused or rolled back raises none.
 */
export async function alertNewPlace(tx: Queryable, who: { id: number; rpps: string }, siteId: number, version: number, here: ProvedFrom, at: Date): Promise<void> {
  await insertAlert(tx, {
    at,
    kind: 'account',
    professionalId: who.id,
    summary: `RPPS ${who.rpps} propose un nouveau compte bancaire pour la structure ${siteId} depuis un appareil ou un réseau nouveau : confirmation par l’opérateur seulement`,
    accounts: [who.id],
    details: { cause: 'bank_account_new_place', site: siteId, version, ip: here.ip, device: here.device },
  });
}
