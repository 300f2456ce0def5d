import type { Database } from '../db/database.js';
import { rewrapApart, unlessRefused, type MasterKey } from '../vault/index.js';
import { lotSealAad } from './lot-queue.js';

export interface LotSealRewrap {
  /** Seals read: lots waiting or running, and decided lots' answers still kept. */
  sealed: number;
  rewrapped: number;
  /** Opened by neither key (sealed under a third one, or altered): left as they are. */
  unreadable: number;
}

/** Seals read per round trip: a decided lot of fifty invoices keeps a few tens of KiB. */
const BATCH = 200;

/**
 * The lots' seals put under `to`, as a master-key rotation puts the insurers' data keys
 * (src/vault/rotate.ts): otherwise a lot still waiting would no longer open for the
 * instances on the new key, and a decided lot's answer would be lost before its 30 days.
 * Only the wrapped key changes. A seal is replaced only if unchanged since it was read (a
 * worker that decided the lot meanwhile wrote its answer under its own key). Run again, it
 * rewraps what an instance still on the old key sealed meanwhile and skips the rest.
 */
export async function rewrapLotSeals(db: Database, from: MasterKey, to: MasterKey): Promise<LotSealRewrap> {
  const done: LotSealRewrap = { sealed: 0, rewrapped: 0, unreadable: 0 };
  let after: [number, string] = [0, ''];
  for (;;) {
    const rows = (
      await db.query<{ site_id: string | number; lot: string; status: string; sealed: Uint8Array }>(
        `SELECT site_id, lot, status, sealed FROM invoice_lot
          WHERE sealed IS NOT NULL AND (site_id, lot) > ($1, $2) ORDER BY site_id, lot LIMIT ${BATCH}`,
        after,
      )
    ).rows;
    for (const row of rows) {
      const siteId = Number(row.site_id);
      const sealed = Buffer.from(row.sealed);
      const where = lotSealAad(siteId, row.lot, row.status === 'done' ? 'answer' : 'pending');
      done.sealed += 1;
      // undefined: neither key opens it; null: already under `to`.
      const next = await unlessRefused(rewrapApart(from, to, sealed, where));
      if (next === undefined) done.unreadable += 1;
      else if (next) {
        const replaced = await db.query('UPDATE invoice_lot SET sealed = $3 WHERE site_id = $1 AND lot = $2 AND sealed = $4', [siteId, row.lot, next, sealed]);
        done.rewrapped += replaced.rowCount;
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) return done;
    after = [Number(last.site_id), last.lot];
  }
}
