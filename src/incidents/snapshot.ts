import type { Database, Tx } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { incidentSummary, type IncidentSummary } from './incidents.js';

/**
 * The exposed set of an incident, frozen as the access log stood at its latest signed
 * checkpoint: every covered disclosure in the incident's window by any account, site,
 * software, network or device it names, one line per beneficiary (what was disclosed, as
 * purpose:care-domain pairs; first and last time; how many records), honeytokens aside
 * (nobody to notify). Records not yet in a signed tree wait for the next snapshot; each
 * line can be proven from the tree the snapshot names.
 *
 * One statement: the exposure lines and the snapshot that counts them are written
 * together or not at all. $1 incident, $2 tree size, $3 root hash.
 *
 * One branch per kind of scope, joined by UNION (which also keeps a record matched twice
 * once): an OR across professional, site, software, device and network would defeat the
 * (professional_id, at) index and read the whole window. Each branch but the accounts'
 * runs only when the incident names something of its kind (a condition on the incident
 * alone, evaluated once before the scan), and the window, read the same way, leaves only
 * its months' partitions to read.
 */
/** One branch of the matched records: a kind of scope, its column and the array's type. */
function matchBranch(column: string, scope: string, type: string, always = false): string {
  const incident = (field: string): string => `(SELECT ${field} FROM incident WHERE id = $1)`;
  return `
  SELECT r.id, r.at, r.insurer_id, r.beneficiary_id, r.purpose, r.disclosed FROM access_record r
   WHERE ${always ? '' : `${incident(`cardinality(${scope}) > 0`)}\n     AND `}${column} ${type === 'inet' ? '<<=' : '='} ANY(${incident(scope)}::${type}[])
     AND r.at >= ${incident('window_from')} AND r.at < ${incident('window_to')}
     AND r.result = 'covered' AND r.insurer_id IS NOT NULL AND r.beneficiary_id IS NOT NULL`;
}

const MATCHED = [
  matchBranch('r.professional_id', 'professionals', 'bigint', true),
  matchBranch('r.site_id', 'sites', 'bigint'),
  matchBranch('r.client_id', 'clients', 'text'),
  matchBranch('r.device', 'devices', 'text'),
  matchBranch('r.ip::inet', 'networks', 'inet'),
].join('\n  UNION');

const FREEZE_SQL = `
WITH matched AS (${MATCHED}
), exposed AS (
  SELECT m.insurer_id, m.beneficiary_id,
         array_agg(DISTINCT m.purpose || coalesce(':' || d.domain, '') ORDER BY m.purpose || coalesce(':' || d.domain, '')) AS categories,
         min(m.at) AS first_at, max(m.at) AS last_at, count(DISTINCT m.id)::int AS records
    FROM matched m
    JOIN access_leaf l ON l.record_id = m.id AND l.record_at = m.at AND l.leaf_index < $2
    LEFT JOIN LATERAL unnest(m.disclosed) AS d(domain) ON true
   WHERE NOT EXISTS (SELECT 1 FROM honeytoken h WHERE h.insurer_id = m.insurer_id AND h.beneficiary_id = m.beneficiary_id)
   GROUP BY m.insurer_id, m.beneficiary_id
), snapshot AS (
  INSERT INTO incident_snapshot (incident_id, tree_size, root_hash, records, beneficiaries)
  SELECT $1, $2, $3, coalesce(sum(records), 0), count(*) FROM exposed
  RETURNING id, records, beneficiaries
), lines AS (
  INSERT INTO incident_exposure (snapshot_id, insurer_id, beneficiary_id, categories, first_at, last_at, records)
  SELECT s.id, e.insurer_id, e.beneficiary_id, e.categories, e.first_at, e.last_at, e.records FROM exposed e, snapshot s
)
SELECT id::int AS id, records, beneficiaries FROM snapshot`;

export interface InsurerExposure {
  insurerId: number;
  amcNumber: string;
  name: string;
  beneficiaries: number;
  records: number;
}

export interface Snapshot {
  id: number;
  incident: IncidentSummary;
  treeSize: number;
  rootHash: string;
  records: number;
  beneficiaries: number;
  insurers: InsurerExposure[];
}

/** Computes and freezes the exposed set of an incident against the latest signed checkpoint. */
export function freezeSnapshot(db: Database, incidentId: number): Promise<Snapshot> {
  return db.transaction('platform', async (tx) => {
    const incident = await incidentSummary(tx, incidentId);
    const head = (await tx.query<{ tree_size: number; root_hash: Uint8Array }>('SELECT tree_size::int AS tree_size, root_hash FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1')).rows[0];
    if (!head) throw new RempartError('INCIDENT_NOTHING_SIGNED');
    // The planner prices the branches the incident does not name as scans of the whole log
    // and would JIT-compile them all (1 to 2.5 s on a 10 M log, for a 50 ms statement).
    await tx.query('SET LOCAL jit = off');
    const frozen = (await tx.query<{ id: number; records: number; beneficiaries: number }>(FREEZE_SQL, [incidentId, head.tree_size, head.root_hash])).rows[0];
    if (!frozen) throw new Error('instantané non écrit');
    const insurers = await snapshotInsurers(tx, frozen.id);
    return {
      id: frozen.id,
      incident,
      treeSize: head.tree_size,
      rootHash: Buffer.from(head.root_hash).toString('hex'),
      records: Number(frozen.records),
      beneficiaries: Number(frozen.beneficiaries),
      insurers,
    };
  });
}

/** A snapshot's people and records per insurer, by AMC number. */
export async function snapshotInsurers(tx: Tx, snapshotId: number): Promise<InsurerExposure[]> {
  const found = await tx.query<{ insurer_id: number; amc_number: string; name: string; beneficiaries: number; records: number }>(
    `SELECT e.insurer_id, i.amc_number, i.name, count(*)::int AS beneficiaries, sum(e.records)::int AS records
       FROM incident_exposure e JOIN insurer i ON i.id = e.insurer_id
      WHERE e.snapshot_id = $1 GROUP BY e.insurer_id, i.amc_number, i.name ORDER BY i.amc_number`,
    [snapshotId],
  );
  return found.rows.map((row) => ({ insurerId: row.insurer_id, amcNumber: row.amc_number, name: row.name, beneficiaries: row.beneficiaries, records: row.records }));
}
