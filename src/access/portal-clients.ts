import type { JSONWebKeySet } from 'jose';
import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';

/** An insurer's member portal, registered like practice software but bound to the insurer. */
export interface PortalRegistration {
  clientId: string;
  amcNumber: string;
  name: string;
  jwks: JSONWebKeySet;
}

/**
 * Registers a member portal, or publishes its new key set (rotation, as for practice
 * software). An identifier already used by practice software is refused: a client never
 * changes what it is bound to.
 */
export async function registerPortalClient(db: Database, portal: PortalRegistration): Promise<number> {
  return db.transaction('platform', async (tx) => {
    const insurer = await tx.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [portal.amcNumber]);
    const insurerId = insurer.rows[0]?.id;
    if (insurerId === undefined) throw new RempartError('AMC_UNKNOWN', portal.amcNumber);
    const saved = await tx.query(
      `INSERT INTO client (client_id, insurer_id, name, jwks) VALUES ($1, $2, $3, $4)
       ON CONFLICT (client_id) DO UPDATE SET jwks = excluded.jwks, name = excluded.name WHERE client.insurer_id = excluded.insurer_id`,
      [portal.clientId, insurerId, portal.name, JSON.stringify(portal.jwks)],
    );
    if (saved.rowCount === 0) throw new RempartError('CLIENT_CONFLICT', portal.clientId);
    return Number(insurerId);
  });
}
