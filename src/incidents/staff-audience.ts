import { appendAccessRecord } from '../audit/access-record.js';
import { unwatched, type Audience } from '../disclosure/door.js';

/** A security officer acting through a live session (the API checks role and step-up). */
export interface Officer {
  staffId: number;
  sessionRef: string | null;
  ip: string;
}

/**
 * A security officer: admitted by the policy alone (role and a fresh proof of presence,
 * then four eyes), unwatched by the shield, which watches professionals; refusals go to
 * the access log in the officer's name, in the platform's scope.
 */
export function staffAudience(officer: Officer): Audience<null> {
  return {
    admit: () => Promise.resolve(unwatched),
    async recordFailure(tx, _purpose, insurerId, result) {
      await appendAccessRecord(tx, { staffId: officer.staffId, sessionRef: officer.sessionRef, ip: officer.ip, insurerId, purpose: 'member_export', disclosed: [], result });
    },
  };
}
