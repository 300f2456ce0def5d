import type { Caller } from '../access/caller.js';
import { insurerNamed } from '../claims/calculate.js';
import { todayUtc } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { disclose } from '../disclosure/door.js';
import { calculationSeen, professionalAudience } from '../disclosure/professional.js';
import { callerParams } from '../disclosure/subject.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { amcOfEngagement } from '../rights/engagement.js';

const CANCEL_SQL = 'SELECT * FROM cancel_engagement($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)';

/**
 * Cancels an engagement for the site it was given to (migration 029 cancel_engagement,
 * under the lock its invoices take): it then backs no calculation and no invoice
 * (ENG_CANCELLED). One already cancelled, or under which a paid invoice stands, is refused
 * with its own code; another site's number is unknown. Recorded under the purpose
 * `engagement`.
 */
export async function cancelEngagement(deps: RightsDeps, caller: Caller, number: string, now: Date): Promise<{ number: string }> {
  return disclose(deps.db, professionalAudience(deps.shield, caller, 'calculation'), {
    purpose: 'engagement',
    insurer: () => insurerNamed(deps, amcOfEngagement(number), 'ENGAGEMENT_UNKNOWN'),
    work: async (tx, insurerId) => {
      const rows = (await tx.query<{ previous_status: 'open' | 'invoiced' | 'cancelled'; beneficiary_id: string | number }>(CANCEL_SQL, [
        insurerId, number, todayUtc(now), now, ...callerParams(caller, insurerId, 'engagement'),
      ])).rows;
      const found = rows[0];
      if (!found) throw new RempartError('ENGAGEMENT_UNKNOWN');
      if (found.previous_status === 'cancelled') throw new RempartError('ENGAGEMENT_ALREADY_CANCELLED');
      if (found.previous_status === 'invoiced') throw new RempartError('ENGAGEMENT_INVOICED');
      return { answer: { number }, seen: calculationSeen(insurerId, found.beneficiary_id) };
    },
  }, now);
}
