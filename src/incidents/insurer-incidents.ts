import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { registerWords } from './documents/categories.js';
import { notifyByOf, type IncidentSummary } from './incidents.js';
import { incidentClockOf, type IncidentClock, type SnapshotFigures } from './view.js';

/**
 * An insurer's share of the incidents: which frozen snapshots hold lines of its own
 * members, and those lines, read in its row-level scope (incident_exposure shows an
 * insurer its own lines only). The incident's title and clock, which name nobody, are
 * then read in the platform's scope for those snapshots alone: an incident without a
 * line of this insurer stays unknown to it. No member number here: those come only
 * with the four-eyes export (member-files.ts).
 */

/** Lines shown per snapshot: the inclusion file and, once approved, the member file hold them all. */
export const INSURER_LINES_SHOWN = 500;

interface OwnShare { snapshot: number; people: number; records: number }

export interface InsurerIncident extends IncidentClock {
  instantanes: SnapshotFigures[];
}

export interface ExposureLine {
  vu: string[];
  premierAcces: string;
  dernierAcces: string;
  acces: number;
}

export interface SnapshotFiguresDetail extends SnapshotFigures {
  parCategorie: { categorie: string; libelle: string; personnes: number }[];
  lignes: ExposureLine[];
}

export interface InsurerIncidentDetail extends IncidentClock {
  instantanes: SnapshotFiguresDetail[];
}

interface SnapshotRow { id: number; incident_id: number; title: string; detected_at: Date; computed_at: Date; tree_size: number; root_hash: Uint8Array }

/** The insurer's incidents, most recent detection first, each with its snapshots and the insurer's counts in them. */
export async function insurerIncidents(db: Database, insurerId: number, now: Date): Promise<InsurerIncident[]> {
  const shares = await ownShares(db, insurerId);
  const snapshots = await snapshotsOf(db, [...shares.keys()], null);
  const incidents = new Map<number, InsurerIncident>();
  for (const row of snapshots) {
    const incident = incidents.get(row.incident_id) ?? { ...incidentClockOf(summaryOf(row), now), instantanes: [] };
    incident.instantanes.push(snapshotOf(row, shares));
    incidents.set(row.incident_id, incident);
  }
  return [...incidents.values()].sort((a, b) => b.detecteLe.localeCompare(a.detecteLe) || b.incident - a.incident);
}

/** One incident as its insurer sees it: INCIDENT_UNKNOWN when it holds no line of this insurer, as when it does not exist. */
export async function insurerIncident(db: Database, insurerId: number, incidentId: number, now: Date): Promise<InsurerIncidentDetail> {
  const shares = await ownShares(db, insurerId);
  const snapshots = await snapshotsOf(db, [...shares.keys()], incidentId);
  const first = snapshots[0];
  if (first === undefined) throw new RempartError('INCIDENT_UNKNOWN', `incident ${incidentId}`);
  const details = await db.transaction({ insurerId }, async (tx) => {
    const out: SnapshotFiguresDetail[] = [];
    for (const row of snapshots) {
      const categories = await tx.query<{ category: string; people: number }>(
        'SELECT c AS category, count(*)::int AS people FROM incident_exposure, unnest(categories) AS c WHERE snapshot_id = $1 GROUP BY c ORDER BY c',
        [row.id],
      );
      const lines = await tx.query<{ categories: string[]; first_at: Date; last_at: Date; records: number }>(
        'SELECT categories, first_at, last_at, records FROM incident_exposure WHERE snapshot_id = $1 ORDER BY first_at, beneficiary_id LIMIT $2',
        [row.id, INSURER_LINES_SHOWN],
      );
      out.push({
        ...snapshotOf(row, shares),
        parCategorie: categories.rows.map((c) => ({ categorie: c.category, libelle: registerWords(c.category), personnes: c.people })),
        lignes: lines.rows.map((l) => ({ vu: l.categories.map(registerWords), premierAcces: new Date(l.first_at).toISOString(), dernierAcces: new Date(l.last_at).toISOString(), acces: l.records })),
      });
    }
    return out;
  });
  return { ...incidentClockOf(summaryOf(first), now), instantanes: details };
}

/** Whether a snapshot holds lines of this insurer (its row-level scope decides): else INCIDENT_SNAPSHOT_UNKNOWN. */
export async function checkOwnSnapshot(db: Database, insurerId: number, snapshotId: number): Promise<void> {
  if (!(await ownShares(db, insurerId)).has(snapshotId)) throw new RempartError('INCIDENT_SNAPSHOT_UNKNOWN', `instantané ${snapshotId}`);
}

/** The insurer's people and records per snapshot, from its own lines only. */
async function ownShares(db: Database, insurerId: number): Promise<Map<number, OwnShare>> {
  const found = await db.transaction({ insurerId }, (tx) =>
    tx.query<{ snapshot: number; people: number; records: number }>(
      'SELECT snapshot_id::int AS snapshot, count(*)::int AS people, sum(records)::int AS records FROM incident_exposure GROUP BY snapshot_id',
    ),
  );
  return new Map(found.rows.map((row) => [row.snapshot, row]));
}

/** The snapshots named (of one incident, or all), with their incident's title and detection: nothing of a person. */
async function snapshotsOf(db: Database, snapshotIds: number[], incidentId: number | null): Promise<SnapshotRow[]> {
  if (snapshotIds.length === 0) return [];
  const found = await db.transaction('platform', (tx) =>
    tx.query<SnapshotRow>(
      `SELECT s.id::int AS id, s.incident_id::int AS incident_id, i.title, i.detected_at, s.computed_at, s.tree_size::bigint AS tree_size, s.root_hash
         FROM incident_snapshot s JOIN incident i ON i.id = s.incident_id
        WHERE s.id = ANY($1::bigint[]) AND ($2::bigint IS NULL OR s.incident_id = $2) ORDER BY s.id`,
      [snapshotIds, incidentId],
    ),
  );
  return found.rows;
}

const summaryOf = (row: SnapshotRow): IncidentSummary => {
  const detectedAt = new Date(row.detected_at);
  return { id: row.incident_id, title: row.title, detectedAt, notifyBy: notifyByOf(detectedAt) };
};

function snapshotOf(row: SnapshotRow, shares: Map<number, OwnShare>): SnapshotFigures {
  const share = shares.get(row.id);
  return {
    instantane: row.id,
    calculeLe: new Date(row.computed_at).toISOString(),
    tailleArbre: Number(row.tree_size),
    racine: Buffer.from(row.root_hash).toString('hex'),
    personnes: share?.people ?? 0,
    acces: share?.records ?? 0,
  };
}
