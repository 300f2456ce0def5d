import type { JSONWebKeySet } from 'jose';
import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';

/**
 * A registered client with its public keys: practice software, for one site; or an
 * insurer's member portal, for that insurer (src/transparency).
 */
export interface Client {
  clientId: string;
  /** The site practice software acts for; null for a member portal. */
  siteId: number | null;
  /** The insurer a member portal acts for; absent or null for practice software. */
  insurerId?: number | null;
  name: string;
  jwks: JSONWebKeySet;
  status: 'active' | 'suspended';
}

/** A client as the token endpoint sees it: suspended too while the professional who enrolled it is (CLIENT_USABLE_SQL). */
export async function findClient(db: Database, clientId: string): Promise<Client | undefined> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ client_id: string; site_id: number | null; insurer_id: number | null; name: string; jwks: JSONWebKeySet; status: Client['status'] }>(
      `SELECT client_id, site_id, insurer_id, name, jwks, CASE WHEN ${CLIENT_USABLE_SQL} THEN 'active' ELSE 'suspended' END AS status FROM client c WHERE client_id = $1`,
      [clientId],
    ),
  );
  const row = found.rows[0];
  return row && { clientId: row.client_id, siteId: row.site_id, insurerId: row.insurer_id, name: row.name, jwks: row.jwks, status: row.status };
}

/**
 * Whether client `c` may act: active, and not enrolled by a professional now suspended
 * (software a stolen account registered or re-keyed stops with that account's suspension,
 * whoever it acts for). Software registered from the command line has no such professional.
 */
export const CLIENT_USABLE_SQL = "(c.status = 'active' AND (c.enrolled_by IS NULL OR NOT professional_suspended(c.enrolled_by)))";

/** Registers a client, or publishes a new key set for it (rotation: old and new keys together). */
export async function registerClient(db: Database, client: Omit<Client, 'status'>): Promise<void> {
  await db.transaction('platform', (tx) =>
    tx.query(
      `INSERT INTO client (client_id, site_id, name, jwks) VALUES ($1, $2, $3, $4)
       ON CONFLICT (client_id) DO UPDATE SET jwks = excluded.jwks, name = excluded.name`,
      [client.clientId, client.siteId, client.name, JSON.stringify(client.jwks)],
    ),
  );
}

/**
 * Suspends or restores a client. Its live tokens stop working at the next call (the
 * request context re-reads the status), and the change is an authentication event.
 */
export async function setClientStatus(db: Database, clientId: string, status: Client['status'], reason: string): Promise<boolean> {
  const changed = await db.transaction('platform', async (tx) => {
    const updated = await tx.query('UPDATE client SET status = $2 WHERE client_id = $1 AND status <> $2', [clientId, status]);
    if (updated.rowCount > 0) {
      await tx.query("INSERT INTO auth_event (kind, outcome, reason, client_id) VALUES ('revocation', 'success', $2, $1)", [
        clientId,
        `${status === 'suspended' ? 'suspension' : 'rétablissement'} : ${reason}`,
      ]);
    }
    return updated.rowCount > 0;
  });
  return changed;
}

/** Registers a new client for a site, enrolled by a professional; false when the identifier is already taken. */
export async function createClient(db: Database, client: Omit<Client, 'status'>, enrolledBy: number): Promise<boolean> {
  const created = await db.transaction('platform', (tx) =>
    tx.query('INSERT INTO client (client_id, site_id, name, jwks, enrolled_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) DO NOTHING', [
      client.clientId, client.siteId, client.name, JSON.stringify(client.jwks), enrolledBy,
    ]),
  );
  return created.rowCount > 0;
}

/**
 * Publishes a client's new key set, if the client belongs to one of `siteIds`. Rotation
 * without downtime: publish old and new keys together, switch the software, then publish
 * the new key alone. Whoever publishes the keys holds the software from then on (`enrolledBy`).
 */
export async function replaceClientKeys(db: Database, clientId: string, siteIds: readonly number[], jwks: JSONWebKeySet, enrolledBy: number): Promise<boolean> {
  const updated = await db.transaction('platform', (tx) =>
    tx.query('UPDATE client SET jwks = $3, enrolled_by = $4 WHERE client_id = $1 AND site_id = ANY($2::bigint[])', [clientId, siteIds, JSON.stringify(jwks), enrolledBy]),
  );
  return updated.rowCount > 0;
}

/** A key set as a client may register it: one to ten public keys, never a private one. */
export function checkPublicJwks(value: unknown): JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 10) throw new RempartError('FIELD_INVALID', 'JWKS : de 1 à 10 clés attendues');
  for (const key of keys as unknown[]) {
    if (typeof key !== 'object' || key === null || typeof (key as { kty?: unknown }).kty !== 'string') throw new RempartError('FIELD_INVALID', 'JWKS : clé sans « kty »');
    // A private key should never travel: its presence means it has leaked already.
    if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in key)) throw new RempartError('FIELD_INVALID', 'le JWKS contient une clé privée ou secrète');
  }
  return value as JSONWebKeySet;
}
