import type { Database } from '../db/database.js';

export interface AuthEvent {
  /** `enrolment`: something that later authenticates was added, changed or withdrawn (src/access/enrolments.ts). */
  kind: 'token' | 'request' | 'revocation' | 'step-up' | 'suspension' | 'enrolment';
  outcome: 'success' | 'failure';
  reason?: string | undefined;
  clientId?: string | undefined;
  subject?: string | undefined;
  ip?: string | undefined;
  /** The user agent, for the events shown to their owner with where they came from. */
  device?: string | null | undefined;
  /** Which credential: a key thumbprint, never a secret or a token. */
  credential?: string | undefined;
}

/** Appends to the authentication log (the application may not edit it). */
export async function recordAuthEvent(db: Database, event: AuthEvent): Promise<void> {
  await db.transaction('platform', (tx) =>
    tx.query('INSERT INTO auth_event (kind, outcome, reason, client_id, subject, ip, device, credential) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      event.kind, event.outcome, event.reason ?? null, event.clientId ?? null, event.subject ?? null, event.ip ?? null, event.device ?? null, event.credential ?? null,
    ]),
  );
}
