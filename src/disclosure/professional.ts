import type { Caller } from '../access/caller.js';
import { appendAccessRecord } from '../audit/access-record.js';
import type { Observation, Shield } from '../shield/engine.js';
import type { Audience } from './door.js';
import { admit } from './shield-gate.js';
import { accessBy, subjectOf } from './subject.js';

/** What the shield is told of a disclosure to a professional that went through. */
export type Seen =
  /** A lookup (rights check): covered or not, whom, by which keyed query. */
  | { kind: 'lookup'; observation: Observation }
  /** A calculation under an engagement: the check it follows was for care. */
  | { kind: 'calculation'; beneficiary: string }
  /**
   * A page of the site's invoice returns: patients its own invoices named, each already
   * seen as a calculation when the invoice was decided; nothing new for the shield to count.
   */
  | { kind: 'returns' };

/** A calculation (or prior agreement) under an engagement, for the beneficiary the disclosure function found. */
export function calculationSeen(insurerId: number, beneficiaryId: string | number): Seen {
  return { kind: 'calculation', beneficiary: `${insurerId}:${Number(beneficiaryId)}` };
}

/**
 * A professional or their software: the shield admits (or slows, or stops) this account,
 * counting the request at once among those in flight, before any read and observes what it was shown; refusals go to the access log, named
 * by the caller and without beneficiary.
 */
export function professionalAudience(shield: Shield, caller: Caller, kind: Seen['kind']): Audience<Seen> {
  const subject = subjectOf(caller);
  return {
    async admit(now) {
      const pass = await admit(shield, subject, now, kind === 'lookup');
      return {
        async observe(seen, at) {
          if (seen.kind === 'lookup') return shield.observe(pass, seen.observation, at.getTime());
          await shield.release(pass);
          if (seen.kind === 'calculation') await shield.calculated(subject, seen.beneficiary, at.getTime());
        },
        abandon: () => shield.release(pass),
      };
    },
    async recordFailure(tx, purpose, insurerId, result) {
      if (purpose === 'transparency') throw new Error('un professionnel ne lit pas d’historique de transparence');
      await appendAccessRecord(tx, { insurerId, beneficiaryId: null, ...accessBy(caller), purpose, disclosed: [], result });
    },
  };
}
