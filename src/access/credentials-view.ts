import type { Database } from '../db/database.js';
import { enrolmentsOf, type Enrolment } from './enrolments.js';
import { passkeysOf, type RegisteredPasskey } from './people/account-passkeys.js';
import type { AccountRef } from './people/accounts.js';
import { openSessionsOf, type OpenSession } from './people/open-sessions.js';

/** What authenticates an account and how it came to: its passkeys, its open sessions, its enrolments. */
export interface CredentialsView {
  passkeys: RegisteredPasskey[];
  sessions: OpenSession[];
  enrolments: Enrolment[];
}

/** One reading for the person's page (/moi) and the security console: `label` is the account as the logs name it. */
export async function credentialsOf(db: Database, account: AccountRef, label: string, now: Date): Promise<CredentialsView> {
  const [passkeys, sessions, enrolments] = await Promise.all([passkeysOf(db, account), openSessionsOf(db, account, now), enrolmentsOf(db, label)]);
  return { passkeys, sessions, enrolments };
}
