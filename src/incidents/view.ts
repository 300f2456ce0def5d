import type { Database } from '../db/database.js';
import { HOUR_MS } from '../domain/dates.js';
import { incidentSummary, NOTIFICATION_HOURS, type IncidentSummary } from './incidents.js';
import { snapshotInsurers } from './snapshot.js';
import { incidentExports, scopeView, snapshotCategories, type CategoryView, type ExportView, type ScopeView } from './view-details.js';

/** The 72-hour clock of GDPR art. 33 as the console shows it. */
export interface ClockView {
  detecteLe: string;
  notifierAvant: string;
  minutesRestantes: number;
  echeanceDepassee: boolean;
}

/** An incident named, with its clock: what every console's read of it starts with. */
export interface IncidentClock extends ClockView {
  incident: number;
  titre: string;
}

/** A frozen snapshot's signed tree, and the people and records it counts. */
export interface SnapshotFigures {
  instantane: number;
  calculeLe: string;
  tailleArbre: number;
  racine: string;
  personnes: number;
  acces: number;
}

export interface IncidentView extends IncidentClock {
  perimetre: ScopeView;
  instantanes: (SnapshotFigures & { organismes: { amc: string; nom: string; personnes: number; acces: number; categories: CategoryView[] }[] })[];
  demandes: ExportView[];
}

/** One line of the incidents' list: the clock, and the people of the latest snapshot (none before the first freeze). */
export interface IncidentLine extends IncidentClock {
  alerte: number | null;
  personnes: number | null;
}

/** Minutes rounded down: « 0 minute » left is still in time, −1 is late. */
export function clockOf(detectedAt: Date, now: Date): ClockView {
  const notifyBy = new Date(detectedAt.getTime() + NOTIFICATION_HOURS * HOUR_MS);
  const minutes = Math.floor((notifyBy.getTime() - now.getTime()) / 60_000);
  return { detecteLe: detectedAt.toISOString(), notifierAvant: notifyBy.toISOString(), minutesRestantes: minutes, echeanceDepassee: minutes < 0 };
}

export function incidentClockOf(incident: IncidentSummary, now: Date): IncidentClock {
  return { incident: incident.id, titre: incident.title, ...clockOf(incident.detectedAt, now) };
}

/** An incident as the security console shows it: its scope, the 72-hour clock, every frozen snapshot and the four-eyes requests. */
export function incidentView(db: Database, id: number, now: Date): Promise<IncidentView> {
  return db.transaction('platform', async (tx) => {
    const incident = await incidentSummary(tx, id);
    const snapshots = await tx.query<{ id: number; computed_at: Date; tree_size: number; root_hash: Uint8Array; records: number; beneficiaries: number }>(
      'SELECT id::int AS id, computed_at, tree_size::bigint AS tree_size, root_hash, records, beneficiaries FROM incident_snapshot WHERE incident_id = $1 ORDER BY id',
      [id],
    );
    const instantanes = [];
    for (const row of snapshots.rows) {
      const insurers = await snapshotInsurers(tx, row.id);
      const categories = await snapshotCategories(tx, row.id);
      instantanes.push({
        instantane: row.id,
        calculeLe: new Date(row.computed_at).toISOString(),
        tailleArbre: Number(row.tree_size),
        racine: Buffer.from(row.root_hash).toString('hex'),
        personnes: row.beneficiaries,
        acces: row.records,
        organismes: insurers.map((i) => ({ amc: i.amcNumber, nom: i.name, personnes: i.beneficiaries, acces: i.records, categories: categories.get(i.insurerId) ?? [] })),
      });
    }
    return {
      ...incidentClockOf(incident, now),
      perimetre: await scopeView(tx, id),
      instantanes,
      demandes: await incidentExports(tx, id),
    };
  });
}

/** The incidents, the last opened first, each with its clock. */
export async function incidentLines(db: Database, now: Date, limit = 200): Promise<IncidentLine[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ id: number; title: string; detected_at: Date; alert_id: string | null; exposed: number | null }>(
      `SELECT i.id::int AS id, i.title, i.detected_at, i.alert_id,
              (SELECT s.beneficiaries FROM incident_snapshot s WHERE s.incident_id = i.id ORDER BY s.id DESC LIMIT 1) AS exposed
         FROM incident i ORDER BY i.id DESC LIMIT $1`,
      [limit],
    ),
  );
  return found.rows.map((row) => ({
    incident: row.id,
    titre: row.title,
    alerte: row.alert_id === null ? null : Number(row.alert_id),
    personnes: row.exposed,
    ...clockOf(new Date(row.detected_at), now),
  }));
}
