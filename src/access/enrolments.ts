import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.js';
import { recordAuthEvent } from './auth-events.js';
import { provedFrom } from './people/sessions.js';

/** What an enrolment names besides its account: the software, or the credential (a passkey's identifier). */
export interface EnrolmentRefs {
  clientId?: string;
  credential?: string;
}

/**
 * Records an enrolment in the authentication log: a passkey added or removed, software
 * registered, re-keyed or suspended, a delegation given or withdrawn, an account created.
 * With the date, the device and the address it came from, under the account that made it
 * (`subject`, as the logs name it): its owner sees it on /moi, the security console too.
 * A `failure` is an attempt the access policy refused (no fresh strong proof from here).
 */
export async function recordEnrolment(
  db: Database, request: FastifyRequest, subject: string, what: string, refs: EnrolmentRefs = {}, outcome: 'success' | 'failure' = 'success',
): Promise<void> {
  const here = provedFrom(request);
  await recordAuthEvent(db, { kind: 'enrolment', outcome, reason: what, subject, ip: here.ip, device: here.device, ...refs });
}

export interface Enrolment {
  at: Date;
  what: string;
  /** An attempt the policy refused. */
  refused: boolean;
  clientId: string | null;
  credential: string | null;
  ip: string | null;
  device: string | null;
}

/** The enrolments an account made, newest first (the last `limit`). */
export async function enrolmentsOf(db: Database, subject: string, limit = 100): Promise<Enrolment[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ at: Date; outcome: string; reason: string | null; client_id: string | null; credential: string | null; ip: string | null; device: string | null }>(
      "SELECT at, outcome, reason, client_id, credential, ip, device FROM auth_event WHERE kind = 'enrolment' AND subject = $1 ORDER BY id DESC LIMIT $2",
      [subject, limit],
    ),
  );
  return found.rows.map((row) => ({
    at: new Date(row.at), what: row.reason ?? '', refused: row.outcome === 'failure', clientId: row.client_id, credential: row.credential, ip: row.ip, device: row.device,
  }));
}
