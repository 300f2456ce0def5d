import type { Database } from '../db/database.js';

/**
 * What the operator's staff watch of the platform's state: the store answers, the access log
 * is being sealed (its latest signed checkpoint), the day's payment run went out, and what
 * waits for a person (open alerts, bank-account changes to confirm). Counts and dates only:
 * nothing here names a person or an account.
 */
export interface PlatformHealth {
  engine: string;
  checkedAt: Date;
  /** The log's latest signed checkpoint: how many records it seals and when; null before the first. */
  checkpoint: { treeSize: number; at: Date } | null;
  openAlerts: { platform: number; account: number };
  /** The latest payment run; null before the first. */
  lastRun: { date: string; transfers: number; invoices: number; amountCents: number; recordedAt: Date } | null;
  /** Bank-account changes proposed and awaiting their second confirmation. */
  pendingBankChanges: number;
}

interface HealthRow {
  tree_size: string | null;
  checkpoint_at: Date | null;
  platform_alerts: number;
  account_alerts: number;
  run_date: string | null;
  transfers: number | null;
  invoices: string | null;
  amount_cents: string | null;
  recorded_at: Date | null;
  pending: number;
}

/** One statement in the platform scope: these tables have no insurer. */
export async function platformHealth(db: Database, now: Date): Promise<PlatformHealth> {
  const row = await db.transaction('platform', async (tx) =>
    (await tx.query<HealthRow>(
      `SELECT c.tree_size::text AS tree_size, c.created_at AS checkpoint_at,
              (SELECT count(*)::int FROM shield_alert WHERE acknowledged_at IS NULL AND kind = 'platform') AS platform_alerts,
              (SELECT count(*)::int FROM shield_alert WHERE acknowledged_at IS NULL AND kind = 'account') AS account_alerts,
              to_char(r.run_date, 'YYYY-MM-DD') AS run_date, r.transfer_count AS transfers, r.invoice_count::text AS invoices,
              r.amount_cents::text AS amount_cents, r.recorded_at,
              (SELECT count(*)::int FROM site_bank_account WHERE confirmed_at IS NULL AND cancelled_at IS NULL) AS pending
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT tree_size, created_at FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1) c ON true
         LEFT JOIN LATERAL (SELECT * FROM payment_run ORDER BY run_date DESC LIMIT 1) r ON true`,
    )).rows[0],
  );
  if (row === undefined) throw new Error('état de la plateforme : aucune ligne');
  return {
    engine: db.engine,
    checkedAt: now,
    checkpoint: row.tree_size === null || row.checkpoint_at === null ? null : { treeSize: Number(row.tree_size), at: new Date(row.checkpoint_at) },
    openAlerts: { platform: row.platform_alerts, account: row.account_alerts },
    lastRun: row.run_date === null || row.recorded_at === null ? null : {
      date: row.run_date, transfers: row.transfers ?? 0, invoices: Number(row.invoices), amountCents: Number(row.amount_cents), recordedAt: new Date(row.recorded_at),
    },
    pendingBankChanges: row.pending,
  };
}
