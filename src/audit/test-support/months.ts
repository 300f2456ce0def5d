import type { TestDatabase } from '../../db/test-support/test-database.js';
import { accessSealer } from '../access-seal.js';
import { asOwner, asSuperuser } from './superuser.js';

/** YYYY-MM of the UTC month `back` months before the current one. */
export function monthAgo(back: number, now: Date = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}

/** The month's partition, made as the sequencer would have made it then (owned by rempart_owner). */
export async function createMonth(t: TestDatabase, month: string): Promise<void> {
  await asOwner(t, (owner) => owner.query('SELECT audit_create_month($1::date)', [`${month}-01`]));
}

/** The seal the application would have given such a record (the superuser writes it, not the key's holder). */
function oldRecordSeal(beneficiaryId: number): Buffer {
  const request = { insurerId: null, professionalId: 101, siteId: 7, staffId: null, clientId: 'logiciel-demo', sessionRef: null, ip: '192.0.2.10', device: null, purpose: 'rights_check' };
  return accessSealer().seal(request, { beneficiaryId, disclosed: ['DENT'], result: 'covered' });
}

/**
 * Records of an earlier month, in one transaction, written as the superuser (the
 * application cannot choose `at`) with the seal the application would have given them;
 * the sequencer picks them up at its next pass, as it would have then. `plan` lists the month of each record, in insertion order.
 */
export async function insertOldRecords(t: TestDatabase, plan: readonly string[]): Promise<number[]> {
  return asSuperuser(t, async (su) => {
    const ids: number[] = [];
    for (const [i, month] of plan.entries()) {
      const rows = await su.query<{ id: number }>(
        `INSERT INTO access_record (at, beneficiary_id, professional_id, site_id, client_id, ip, purpose, disclosed, result, seal)
         VALUES (($1::date + make_interval(days => $2, mins => $3))::timestamp AT TIME ZONE 'UTC', $4, 101, 7, 'logiciel-demo', '192.0.2.10', 'rights_check', '{DENT}', 'covered', $5)
         RETURNING id`,
        [`${month}-01`, 3 + (i % 20), i, 2000 + i, oldRecordSeal(2000 + i)],
      );
      ids.push(Number(rows[0]?.id));
    }
    return ids;
  });
}
