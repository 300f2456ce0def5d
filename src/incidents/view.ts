import type { Database } from '../db/database.js';
import { incidentSummary, type IncidentSummary } from './incidents.js';
import { snapshotInsurers } from './snapshot.js';

/** The 72-hour clock of an incident, as the consoles show it. */
export interface IncidentClock {
  incident: number;
  titre: string;
  detecteLe: string;
  notifierAvant: string;
  minutesRestantes: number;
  echeanceDepassee: boolean;
}

export function clockOf(incident: IncidentSummary, now: Date): IncidentClock {
  const minutes = Math.floor((incident.notifyBy.getTime() - now.getTime()) / 60_000);
  return {
    incident: incident.id,
    titre: incident.title,
    detecteLe: incident.detectedAt.toISOString(),
    notifierAvant: incident.notifyBy.toISOString(),
    minutesRestantes: minutes,
    echeanceDepassee: minutes < 0,
  };
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
  instantanes: (SnapshotFigures & { organismes: { amc: string; nom: string; personnes: number; acces: number }[] })[];
}

/** An incident as the security console shows it: the 72-hour clock and every frozen snapshot. */
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
      instantanes.push({
        instantane: row.id,
        calculeLe: new Date(row.computed_at).toISOString(),
        tailleArbre: Number(row.tree_size),
        racine: Buffer.from(row.root_hash).toString('hex'),
        personnes: row.beneficiaries,
        acces: row.records,
        organismes: insurers.map((i) => ({ amc: i.amcNumber, nom: i.name, personnes: i.beneficiaries, acces: i.records })),
      });
    }
    return { ...clockOf(incident, now), instantanes };
  });
}
