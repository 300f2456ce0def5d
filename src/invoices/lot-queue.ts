import { createHash } from 'node:crypto';
import type { Caller } from '../access/caller.js';
import { CLIENT_USABLE_SQL } from '../access/clients.js';
import type { Database } from '../db/database.js';
import { RempartError, type ErrorCode } from '../domain/errors/codes.js';
import { unlessRefused, type Vault } from '../vault/index.js';
import type { LotBody, LotRequest } from './lot-request.js';

/** A lot's state in invoice_lot (migration 037): waiting, claimed by a worker, decided, or stopped by a refusal. */
export type LotStatus = 'queued' | 'running' | 'done' | 'stopped';

/** What the acknowledgement and the status tell of a lot kept for later. */
export interface KeptLot {
  lot: string;
  receivedAt: Date;
  invoices: number;
  status: LotStatus;
  stoppedCode: ErrorCode | null;
  /** Once done: each invoice's answer, as the synchronous answer gives it. */
  answers: object[] | null;
}

/** A lot a worker claimed, and the attempt that fences its outcome. */
export interface ClaimedLot {
  siteId: number;
  lot: string;
  attempt: number;
  /**
   * The lot as sent and its caller; null when its seal does not open here (an instance
   * still on a master key since rotated sealed it): the lot stays claimed until its lease
   * runs out, for an instance that can open it, and is stopped after MAX_ATTEMPTS.
   */
  pending: { caller: Caller; body: LotBody } | null;
}

interface LotRow {
  lot: string;
  received_at: Date;
  invoices: number;
  status: LotStatus;
  stopped_code: ErrorCode | null;
  sealed: Uint8Array | null;
  body_hash: Uint8Array;
}

const COLUMNS = 'lot, received_at, invoices, status, stopped_code, sealed, body_hash';

/**
 * The lot kept, sealed with its caller, as one row; or, under the same (site, lot), the
 * lot already kept when it is the same lot (a resend of the acknowledgement), refused when
 * it is another one.
 */
export async function keepLot(db: Database, vault: Vault, caller: Caller, body: LotBody, lot: LotRequest, now: Date): Promise<KeptLot> {
  const hash = createHash('sha256').update(Buffer.concat(lot.invoices.map((invoice) => invoice.bodyHash))).digest();
  const sealed = await vault.sealApart(Buffer.from(JSON.stringify({ caller, body })), lotSealAad(caller.siteId, lot.lot, 'pending'));
  const inserted = await db.query<LotRow>(
    `INSERT INTO invoice_lot (site_id, lot, received_at, invoices, body_hash, sealed) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (site_id, lot) DO NOTHING RETURNING ${COLUMNS}`,
    [caller.siteId, lot.lot, now, lot.invoices.length, hash, sealed],
  );
  const row = inserted.rows[0] ?? (await readRow(db, caller.siteId, lot.lot));
  if (!row || !Buffer.from(row.body_hash).equals(hash)) throw new RempartError('INVOICE_LOT_REUSED', lot.lot);
  return keptOf(row, null);
}

/** The site's lot as it stands; another site's is unknown to it. */
export async function keptLot(db: Database, vault: Vault, siteId: number, lot: string): Promise<KeptLot> {
  const row = await readRow(db, siteId, lot);
  if (!row) throw new RempartError('INVOICE_LOT_UNKNOWN', lot);
  return keptOf(row, row.status === 'done' && row.sealed ? await answersOf(vault, Buffer.from(row.sealed), lotSealAad(siteId, lot, 'answer')) : null);
}

/**
 * A decided lot's answers; none when they no longer open (sealed by an instance on a master
 * key since rotated, or altered): the returns still carry every decision.
 */
async function answersOf(vault: Vault, sealed: Buffer, where: Buffer): Promise<object[] | null> {
  const opened = await opens(vault, sealed, where);
  return opened && (JSON.parse(opened.toString()) as object[]);
}

/** A seal's content, or null when this instance's master key does not open it. */
async function opens(vault: Vault, sealed: Buffer, where: Buffer): Promise<Buffer | null> {
  return (await unlessRefused(vault.openApart(sealed, where))) ?? null;
}

/**
 * The oldest lot waiting, or claimed by an instance whose lease ran out (it died with it):
 * claimed for `leaseMs`. SKIP LOCKED: two workers claiming at once take two lots.
 */
export async function claimLot(db: Database, vault: Vault, now: Date, leaseMs: number): Promise<ClaimedLot | null> {
  const claimed = await db.query<{ site_id: string | number; lot: string; attempts: number; sealed: Uint8Array }>(
    `UPDATE invoice_lot SET status = 'running', lease_until = $1::timestamptz + $2 * interval '1 millisecond', attempts = attempts + 1
      WHERE (site_id, lot) = (SELECT site_id, lot FROM invoice_lot WHERE status = 'queued' OR (status = 'running' AND lease_until <= $1)
                               ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING site_id, lot, attempts, sealed`,
    [now, leaseMs],
  );
  const row = claimed.rows[0];
  if (!row) return null;
  const siteId = Number(row.site_id);
  const opened = await opens(vault, Buffer.from(row.sealed), lotSealAad(siteId, row.lot, 'pending'));
  const pending = opened && (JSON.parse(opened.toString()) as { caller: Caller; body: LotBody });
  return { siteId, lot: row.lot, attempt: row.attempts, pending: pending && { caller: revived(pending.caller), body: pending.body } };
}

/** Decided: the lot and its caller give way to the answer. Only by the attempt that holds the lot (a worker outlived by its lease writes nothing). */
export async function lotDone(db: Database, vault: Vault, claimed: ClaimedLot, answers: object[], now: Date): Promise<void> {
  const sealed = await vault.sealApart(Buffer.from(JSON.stringify(answers)), lotSealAad(claimed.siteId, claimed.lot, 'answer'));
  await db.query(
    `UPDATE invoice_lot SET status = 'done', lease_until = NULL, sealed = $4, decided_at = $5
      WHERE site_id = $1 AND lot = $2 AND status = 'running' AND attempts = $3`,
    [claimed.siteId, claimed.lot, claimed.attempt, sealed, now],
  );
}

/**
 * The lot still held by this attempt, for `leaseMs` more from `now`: a worker deciding a lot
 * renews its claim while it works, so that no other instance takes a lot merely slow.
 * False when the lot is no longer this attempt's (its lease ran out and it was taken again).
 */
export async function renewLease(db: Database, claimed: Pick<ClaimedLot, 'siteId' | 'lot' | 'attempt'>, now: Date, leaseMs: number): Promise<boolean> {
  const renewed = await db.query(
    `UPDATE invoice_lot SET lease_until = $4::timestamptz + $5 * interval '1 millisecond'
      WHERE site_id = $1 AND lot = $2 AND status = 'running' AND attempts = $3`,
    [claimed.siteId, claimed.lot, claimed.attempt, now, leaseMs],
  );
  return renewed.rowCount > 0;
}

/** Decided lots' answers sealed before `before` are dropped (migration 040); returns how many. */
export async function forgetAnswers(db: Database, before: Date): Promise<number> {
  const forgotten = await db.query("UPDATE invoice_lot SET sealed = NULL WHERE status = 'done' AND sealed IS NOT NULL AND decided_at < $1", [before]);
  return forgotten.rowCount;
}

/** Stopped by a refusal (the shield's, say): the lot and its caller are dropped, the decisions made stay in invoice. */
export async function lotStopped(db: Database, claimed: Pick<ClaimedLot, 'siteId' | 'lot' | 'attempt'>, code: ErrorCode, now: Date): Promise<void> {
  await db.query(
    `UPDATE invoice_lot SET status = 'stopped', lease_until = NULL, sealed = NULL, stopped_code = $4, decided_at = $5
      WHERE site_id = $1 AND lot = $2 AND status = 'running' AND attempts = $3`,
    [claimed.siteId, claimed.lot, claimed.attempt, code, now],
  );
}

/**
 * Whether the caller may still act as when the lot came in: a request re-checks its account
 * and its software at every call (src/access), a lot decided later must too, or a suspension
 * (the shield's, an officer's) would leave a stolen account's lots to be decided after it.
 */
export async function stillActs(db: Database, caller: Caller): Promise<boolean> {
  const found = await db.query<{ acts: boolean }>(
    `SELECT NOT professional_suspended($1) AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM client c WHERE c.client_id = $2 AND ${CLIENT_USABLE_SQL})) AS acts`,
    [caller.professionalId, caller.clientId],
  );
  return found.rows[0]?.acts === true;
}

async function readRow(db: Database, siteId: number, lot: string): Promise<LotRow | undefined> {
  return (await db.query<LotRow>(`SELECT ${COLUMNS} FROM invoice_lot WHERE site_id = $1 AND lot = $2`, [siteId, lot])).rows[0];
}

function keptOf(row: LotRow, answers: object[] | null): KeptLot {
  return { lot: row.lot, receivedAt: new Date(row.received_at), invoices: row.invoices, status: row.status, stoppedCode: row.stopped_code, answers };
}

/** Where a seal lives and what it holds: a lot's pending body never opens as its answer, nor as another lot's. */
export function lotSealAad(siteId: number, lot: string, holds: 'pending' | 'answer'): Buffer {
  return Buffer.from(JSON.stringify(['invoice_lot', siteId, lot, holds]));
}

/** The caller as JSON gave it back: its one date a Date again. */
function revived(caller: Caller): Caller {
  return { ...caller, presence: caller.presence && { ...caller.presence, at: new Date(caller.presence.at) } };
}
