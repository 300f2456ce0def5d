import type { Queryable } from '../db/database.js';
import type { FailureResult } from '../disclosure/door.js';

/** Who read a history, and how: the portal through the API, or the person on the page. */
export interface TransparencyRead {
  insurerId: number;
  /** null: the card named none of the insurer's members, or the read was refused. */
  beneficiaryId: number | null;
  clientId: string;
  channel: 'api' | 'page';
  ip: string;
  device: string | null;
  entries: number;
  result: 'shown' | FailureResult;
}

/**
 * Records a read in the caller's transaction: the history says which professionals a
 * person sees, so showing it is a disclosure too. The database sets the time; the table
 * refuses any change afterwards (017).
 */
export async function recordRead(tx: Queryable, read: TransparencyRead): Promise<void> {
  await tx.query(
    `INSERT INTO transparency_read (insurer_id, beneficiary_id, client_id, channel, ip, device, entries, result)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [read.insurerId, read.beneficiaryId, read.clientId, read.channel, read.ip, read.device?.slice(0, 200) ?? null, read.entries, read.result],
  );
}
