import type { Tx } from '../db/database.js';
import { registerWords } from './documents/categories.js';
import { APPROVALS_NEEDED } from './member-export.js';

/** What one insurer's people were exposed to, per category (purpose, or purpose:care domain): how many people, first and last time. */
export interface CategoryView {
  categorie: string;
  libelle: string;
  personnes: number;
  premier: string;
  dernier: string;
}

/** The scope an incident names, as people name it: directory numbers rather than internal ids. */
export interface ScopeView {
  du: string;
  au: string;
  alerte: number | null;
  ouvertPar: string;
  rpps: string[];
  sites: string[];
  logiciels: string[];
  reseaux: string[];
  appareils: string[];
}

/** A four-eyes request and who approved it, the requester first. */
export interface ExportView {
  demande: number;
  instantane: number;
  motif: string;
  demandeLe: string;
  approbations: { par: string; le: string }[];
  approuvee: boolean;
}

const iso = (at: Date): string => new Date(at).toISOString();

export async function scopeView(tx: Tx, incidentId: number): Promise<ScopeView> {
  const found = await tx.query<{ window_from: Date; window_to: Date; alert_id: string | null; opened_by: string; rpps: string[]; sites: string[]; clients: string[]; networks: string[]; devices: string[] }>(
    `SELECT i.window_from, i.window_to, i.alert_id, i.opened_by, i.clients, i.networks::text[] AS networks, i.devices,
            ARRAY(SELECT p.rpps FROM professional p WHERE p.id = ANY(i.professionals) ORDER BY p.rpps) AS rpps,
            ARRAY(SELECT coalesce(s.finess, s.siret) FROM site s WHERE s.id = ANY(i.sites) ORDER BY 1) AS sites
       FROM incident i WHERE i.id = $1`,
    [incidentId],
  );
  const row = found.rows[0];
  if (!row) throw new Error(`incident ${incidentId} absent`);
  return {
    du: iso(row.window_from), au: iso(row.window_to), alerte: row.alert_id === null ? null : Number(row.alert_id), ouvertPar: row.opened_by,
    rpps: row.rpps, sites: row.sites, logiciels: row.clients, reseaux: row.networks, appareils: row.devices,
  };
}

/** A snapshot's categories per insurer id, people counted once per category. */
export async function snapshotCategories(tx: Tx, snapshotId: number): Promise<Map<number, CategoryView[]>> {
  const found = await tx.query<{ insurer_id: number; category: string; beneficiaries: number; first_at: Date; last_at: Date }>(
    `SELECT e.insurer_id, c.category, count(*)::int AS beneficiaries, min(e.first_at) AS first_at, max(e.last_at) AS last_at
       FROM incident_exposure e, unnest(e.categories) AS c(category)
      WHERE e.snapshot_id = $1 GROUP BY e.insurer_id, c.category ORDER BY e.insurer_id, c.category`,
    [snapshotId],
  );
  const byInsurer = new Map<number, CategoryView[]>();
  for (const row of found.rows) {
    const list = byInsurer.get(row.insurer_id) ?? [];
    list.push({ categorie: row.category, libelle: registerWords(row.category), personnes: row.beneficiaries, premier: iso(row.first_at), dernier: iso(row.last_at) });
    byInsurer.set(row.insurer_id, list);
  }
  return byInsurer;
}

/** Every four-eyes request on an incident's snapshots, oldest first, with its approvals. */
export async function incidentExports(tx: Tx, incidentId: number): Promise<ExportView[]> {
  const requests = await tx.query<{ id: number; snapshot_id: number; reason: string; requested_at: Date }>(
    `SELECT x.id::int AS id, x.snapshot_id::int AS snapshot_id, x.reason, x.requested_at
       FROM member_export x JOIN incident_snapshot s ON s.id = x.snapshot_id WHERE s.incident_id = $1 ORDER BY x.id`,
    [incidentId],
  );
  const approvals = await tx.query<{ export_id: number; name: string; approved_at: Date }>(
    `SELECT a.export_id::int AS export_id, m.display_name AS name, a.approved_at FROM member_export_approval a JOIN staff_member m ON m.id = a.staff_id
      WHERE a.export_id = ANY($1::bigint[]) ORDER BY a.approved_at, a.staff_id`,
    [requests.rows.map((r) => r.id)],
  );
  return requests.rows.map((r) => {
    const mine = approvals.rows.filter((a) => a.export_id === r.id).map((a) => ({ par: a.name, le: iso(a.approved_at) }));
    return { demande: r.id, instantane: r.snapshot_id, motif: r.reason, demandeLe: iso(r.requested_at), approbations: mine, approuvee: mine.length >= APPROVALS_NEEDED };
  });
}
