import type { Database, Queryable } from '../../db/database.js';
import { maskIban, type BankAccount } from '../../domain/payments/bank-account.js';
import type { ProvedFrom } from '../../access/people/sessions.js';

/** An account version as the site's administrators see it: the IBAN masked. */
export interface AccountView {
  version: number;
  iban: string;
  bic: string;
  titulaire: string;
  proposeLe: string;
  confirmeLe: string | null;
  effectifLe: string | null;
  confirmationParOperateur: boolean;
}

interface AccountRow {
  version: number;
  iban: string;
  bic: string;
  holder: string;
  proposed_at: Date;
  confirmed_at: Date | null;
  effective_from: Date | null;
  operator_only: boolean;
}

const iso = (at: Date | null): string | null => (at === null ? null : new Date(at).toISOString());

function viewOf(row: AccountRow | undefined): AccountView | null {
  if (!row) return null;
  return {
    version: Number(row.version), iban: maskIban(row.iban), bic: row.bic, titulaire: row.holder, proposeLe: new Date(row.proposed_at).toISOString(),
    confirmeLe: iso(row.confirmed_at), effectifLe: iso(row.effective_from), confirmationParOperateur: row.operator_only,
  };
}

const COLUMNS = 'version, iban, bic, holder, proposed_at, confirmed_at, effective_from, operator_only';

/** The site's account in effect at `at`, and the change still to come, if any (src/db/migrations/032). */
export async function accountsOf(db: Database, siteId: number, at: Date): Promise<{ enVigueur: AccountView | null; changement: AccountView | null }> {
  return db.transaction('platform', async (tx) => {
    const current = await tx.query<AccountRow>(`SELECT ${COLUMNS} FROM site_account_at($1, $2)`, [siteId, at]);
    const pending = await tx.query<AccountRow>(`SELECT ${COLUMNS} FROM site_account_pending($1, $2)`, [siteId, at]);
    return { enVigueur: viewOf(current.rows[0]), changement: viewOf(pending.rows[0]) };
  });
}

/** A proposal's version, or undefined when a change is already pending for the site. */
export async function propose(
  tx: Queryable, siteId: number, account: BankAccount, by: number, at: Date, from: ProvedFrom, operatorOnly: boolean,
): Promise<number | undefined> {
  const made = await tx.query<{ version: number | null }>('SELECT bank_account_propose($1, $2, $3, $4, $5, $6, $7, $8, $9) AS version', [
    siteId, account.iban, account.bic, account.holder, by, at, from.ip, from.device, operatorOnly,
  ]);
  const version = made.rows[0]?.version;
  return version === null || version === undefined ? undefined : Number(version);
}

export type ConfirmOutcome = { outcome: 'confirmed'; version: number; effectiveFrom: Date } | { outcome: 'none' | 'own' | 'operator_only' };

/** Confirms the change awaiting it, by a co-administrator (professional) or the operator's staff. */
export async function confirm(tx: Queryable, siteId: number, by: { professional: number } | { staff: number }, at: Date, delayMs: number): Promise<ConfirmOutcome> {
  const professional = 'professional' in by ? by.professional : null;
  const staff = 'staff' in by ? by.staff : null;
  const done = await tx.query<{ outcome: string; version: number | null; effective_from: Date | null }>(
    'SELECT outcome, version, effective_from FROM bank_account_confirm($1, $2, $3, $4, make_interval(secs => $5))',
    [siteId, professional, staff, at, delayMs / 1000],
  );
  const row = done.rows[0];
  if (row?.outcome === 'confirmed' && row.effective_from !== null) return { outcome: 'confirmed', version: Number(row.version), effectiveFrom: new Date(row.effective_from) };
  return { outcome: (row?.outcome ?? 'none') as 'none' | 'own' | 'operator_only' };
}

/** Cancels the pending change: its version, or undefined when none is pending. */
export async function cancel(tx: Queryable, siteId: number, by: number, at: Date): Promise<number | undefined> {
  const done = await tx.query<{ version: number | null }>('SELECT bank_account_cancel($1, $2, $3) AS version', [siteId, by, at]);
  const version = done.rows[0]?.version;
  return version === null || version === undefined ? undefined : Number(version);
}

/** Tells every administrator of the site, in the transaction of the change it announces. */
export async function notifyAdmins(tx: Queryable, siteId: number, at: Date, text: string): Promise<void> {
  await tx.query('SELECT site_notify($1, $2, $3)', [siteId, at, text]);
}

export interface Notice {
  at: Date;
  site: string;
  text: string;
}

/** What a professional was told about their sites, newest first (the last `limit`). */
export async function noticesOf(db: Database, professionalId: number, limit = 20): Promise<Notice[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ at: Date; site: string; text: string }>(
      `SELECT n.at, s.name AS site, n.text FROM site_notice n JOIN site s ON s.id = n.site_id
        WHERE n.professional_id = $1 ORDER BY n.at DESC, n.id DESC LIMIT $2`,
      [professionalId, limit],
    ),
  );
  return found.rows.map((row) => ({ at: new Date(row.at), site: row.site, text: row.text }));
}

/** A change awaiting its second confirmation, as the operator's staff see it to confirm it. */
export interface PendingChange extends AccountView {
  siteId: number;
  structure: string;
  site: string;
  proposePar: string;
}

/** Every change proposed and neither confirmed nor cancelled, oldest first: the operator's queue. */
export async function pendingChanges(db: Database): Promise<PendingChange[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<AccountRow & { site_id: string; structure: string; site: string; rpps: string }>(
      `SELECT ${COLUMNS.split(', ').map((column) => `a.${column}`).join(', ')},
              a.site_id, coalesce(s.finess, s.siret) AS structure, s.name AS site, p.rpps
         FROM site_bank_account a JOIN site s ON s.id = a.site_id JOIN professional p ON p.id = a.proposed_by
        WHERE a.confirmed_at IS NULL AND a.cancelled_at IS NULL
        ORDER BY a.proposed_at, a.site_id`,
    ),
  );
  return found.rows.flatMap((row) => {
    const view = viewOf(row);
    return view === null ? [] : [{ ...view, siteId: Number(row.site_id), structure: row.structure, site: row.site, proposePar: `RPPS ${row.rpps}` }];
  });
}
