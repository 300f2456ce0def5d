import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { todayUtc } from '../../domain/dates.js';

export const SESSION_COOKIE = 'rempart_session';
export const SESSION_SECONDS = 8 * 3600;

const hashOf = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface PersonSession {
  professionalId: number;
  rpps: string;
  method: string;
  adminSites: number[];
}

/** Opens a session; the cookie value is returned once and only its hash is stored. */
export async function openSession(db: Database, professionalId: number, method: string, acr: string | null, now: Date): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  await db.transaction('platform', (tx) =>
    tx.query('INSERT INTO person_session (id_hash, professional_id, method, acr, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      hashOf(value), professionalId, method, acr, now, new Date(now.getTime() + SESSION_SECONDS * 1000),
    ]),
  );
  return value;
}

/**
 * The session behind a cookie, if live — and only while the professional still has an
 * activity in the directory that day: a departure closes the session at the next request.
 */
export async function liveSession(db: Database, value: string, now: Date): Promise<PersonSession | undefined> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ professional_id: number; rpps: string; method: string; admin_sites: number[] }>(
      `SELECT s.professional_id, p.rpps, s.method,
              ARRAY(SELECT a.site_id FROM activity a WHERE a.professional_id = p.id AND a.role IN ('titulaire', 'associe')
                      AND active_on(a.started_on, a.ended_on, $3::date) ORDER BY a.site_id) AS admin_sites
         FROM person_session s JOIN professional p ON p.id = s.professional_id
        WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
          AND EXISTS (SELECT 1 FROM activity a WHERE a.professional_id = p.id AND active_on(a.started_on, a.ended_on, $3::date))`,
      [hashOf(value), now, todayUtc(now)],
    ),
  );
  const row = found.rows[0];
  return row && { professionalId: row.professional_id, rpps: row.rpps, method: row.method, adminSites: row.admin_sites.map(Number) };
}

export async function revokeSession(db: Database, value: string, now: Date): Promise<void> {
  await db.transaction('platform', (tx) => tx.query('UPDATE person_session SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [hashOf(value), now]));
}
