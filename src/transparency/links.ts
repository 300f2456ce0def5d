import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';

/** Long enough to follow the portal's redirect, short enough that a forgotten tab is useless. */
export const LINK_MINUTES = 10;

/**
 * A link's token: "T", the insurer's AMC number (so the page finds the link in that
 * insurer's scope, like an engagement number), "-", then 256 random bits in base64url.
 */
export function newLinkToken(amcNumber: string): string {
  return `T${amcNumber}-${randomBytes(32).toString('base64url')}`;
}

/** The AMC number a token names, if it has the right shape. */
export function amcOfLinkToken(token: string): string | undefined {
  return /^T([0-9]{8,10})-[A-Za-z0-9_-]{43}$/.exec(token)?.[1];
}

/** Only this is stored: 256 random bits need no key to be unguessable from their hash. */
export function linkTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export interface NewLink {
  insurerId: number;
  beneficiaryId: number;
  clientId: string;
  token: string;
  expiresAt: Date;
}

export async function storeLink(tx: Tx, link: NewLink, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO transparency_link (insurer_id, token_hash, beneficiary_id, client_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [link.insurerId, linkTokenHash(link.token), link.beneficiaryId, link.clientId, now, link.expiresAt],
  );
}

/**
 * Spends a link, once: the first request within its validity wins (one UPDATE, so two
 * concurrent openings cannot both pass). Unknown or spent, or expired: said apart, since
 * only the holder of the token can ask and either way the answer is "ask the portal again".
 */
export async function spendLink(tx: Tx, insurerId: number, token: string, now: Date): Promise<{ beneficiaryId: number; clientId: string }> {
  const hash = linkTokenHash(token);
  const spent = await tx.query<{ beneficiary_id: number; client_id: string }>(
    `UPDATE transparency_link SET used_at = $3
      WHERE insurer_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > $3
      RETURNING beneficiary_id, client_id`,
    [insurerId, hash, now],
  );
  const row = spent.rows[0];
  if (row) return { beneficiaryId: Number(row.beneficiary_id), clientId: row.client_id };
  const stale = await tx.query('SELECT 1 FROM transparency_link WHERE insurer_id = $1 AND token_hash = $2 AND used_at IS NULL', [insurerId, hash]);
  throw new RempartError(stale.rowCount > 0 ? 'TRANSPARENCY_LINK_EXPIRED' : 'TRANSPARENCY_LINK_INVALID');
}
