import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.js';
import { accountColumns, findAccount, type Account, type AccountRef } from './accounts.js';

export const SESSION_COOKIE = 'rempart_session';
export const SESSION_SECONDS = 8 * 3600;
/** A session's handle (sessionRef below) computed by the database, to find a session by it. */
export const SESSION_REF_SQL = "encode(substring(id_hash FROM 1 FOR 8), 'hex')";

const hashOf = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface PersonSession {
  /** A short, non-reversible handle for logs and for revocation (never the cookie). */
  ref: string;
  account: Account;
  method: string;
  /** Last proof of presence (login or step-up). */
  authenticatedAt: Date;
  /** Where that proof was given: the shield asks again when the session shows up elsewhere. */
  provedFrom: ProvedFrom | null;
  /** The last strong proof (passkey assertion, or the provider's authentication time): enrolments need it fresh. */
  strongProofAt: Date | null;
}

/** The address and user agent of a proof of presence. */
export interface ProvedFrom {
  ip: string;
  device: string | null;
}

/** Where a request comes from, as a proof of presence records it: its address and user agent. */
export function provedFrom(request: FastifyRequest): ProvedFrom {
  return { ip: request.ip, device: (request.headers['user-agent'] ?? '').slice(0, 200) || null };
}

/**
 * Opens a session; the cookie value is returned once and only its hash is stored.
 * `strongProofAt`: when the login's strong proof was given (a passkey's assertion: now; Pro
 * Santé Connect: the provider's authentication time), null for none.
 */
export async function openSession(
  db: Database, account: AccountRef, method: string, acr: string | null, now: Date, from: ProvedFrom, strongProofAt: Date | null = null,
): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  const [professionalId, staffId] = accountColumns(account);
  await db.transaction('platform', (tx) =>
    tx.query(
      `INSERT INTO person_session (id_hash, professional_id, staff_id, method, acr, created_at, authenticated_at, expires_at, proved_ip, proved_device, strong_proof_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10)`,
      [hashOf(value), professionalId, staffId, method, acr, now, new Date(now.getTime() + SESSION_SECONDS * 1000), from.ip, from.device, strongProofAt],
    ),
  );
  return value;
}

/**
 * The session behind a cookie, if live — and only while its account may still come in
 * (a professional practising that day, no suspension): a departure or a suspension
 * closes the session at the next request.
 */
export async function liveSession(db: Database, value: string, now: Date): Promise<PersonSession | undefined> {
  const hash = hashOf(value);
  const found = await db.query<{
    professional_id: number | null; staff_id: number | null; method: string; authenticated_at: Date; proved_ip: string | null; proved_device: string | null; strong_proof_at: Date | null;
  }>(
    `SELECT professional_id, staff_id, method, authenticated_at, proved_ip, proved_device, strong_proof_at FROM person_session
      WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
    [hash, now],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  const ref: AccountRef = row.staff_id === null ? { kind: 'professional', id: Number(row.professional_id) } : { kind: 'staff', id: Number(row.staff_id) };
  const account = await findAccount(db, ref, now);
  const provedFrom = row.proved_ip === null ? null : { ip: row.proved_ip, device: row.proved_device };
  const strongProofAt = row.strong_proof_at === null ? null : new Date(row.strong_proof_at);
  return account && { ref: sessionRef(hash), account, method: row.method, authenticatedAt: new Date(row.authenticated_at), provedFrom, strongProofAt };
}

/** Records a step-up on the session: a passkey's assertion, a fresh strong proof, and where it was given. */
export async function markAuthenticated(db: Database, value: string, method: string, now: Date, from: ProvedFrom): Promise<void> {
  await db.transaction('platform', (tx) =>
    tx.query('UPDATE person_session SET authenticated_at = $2, strong_proof_at = $2, method = $3, proved_ip = $4, proved_device = $5 WHERE id_hash = $1 AND revoked_at IS NULL', [
      hashOf(value),
      now,
      method,
      from.ip,
      from.device,
    ]),
  );
}

export async function revokeSession(db: Database, value: string, now: Date): Promise<void> {
  await db.transaction('platform', (tx) => tx.query('UPDATE person_session SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [hashOf(value), now]));
}

/** The handle of a session in the logs: the first bytes of the stored hash, in hex (SESSION_REF_SQL in SQL). */
function sessionRef(hash: Buffer): string {
  return hash.subarray(0, 8).toString('hex');
}
