import { writeFileSync } from 'node:fs';
import { encodeLeaf, RECORD_COLUMNS, toStoredRecord, type RecordRow } from '../audit/leaf.js';
import { proveRecord, type RecordInclusion } from '../audit/proofs.js';
import type { Database } from '../db/database.js';

/** Proofs per insurer: enough to check the snapshot by sampling, few enough to stay fast. */
export const PROOFS_PER_INSURER = 200;

export interface InclusionFile {
  snapshot: number;
  treeSize: number;
  rootHash: string;
  /** How the sample was drawn, so the insurer can tell it was not chosen. */
  sample: string;
  exposed: number;
  proofs: (RecordInclusion & { leaf: string })[];
}

/**
 * The inclusion proofs an insurer checks its share of a snapshot with: for exposed people
 * of its own, the record of their first exposure, its leaf bytes (format of
 * src/audit/leaf.ts, so the insurer rehashes it) and its path to the signed root the
 * snapshot names. A sample when there are many, drawn by a hash of the root, which
 * nobody chose after the fact.
 */
export async function inclusionFile(db: Database, snapshotId: number, insurerId: number): Promise<InclusionFile> {
  const { rows } = await db.transaction('platform', (tx) =>
    tx.query<RecordRow & { tree_size: number; root_hash: Uint8Array; exposed: number }>(
      `WITH s AS (SELECT id, tree_size, root_hash FROM incident_snapshot WHERE id = $1),
            e AS (SELECT e.* FROM incident_exposure e, s WHERE e.snapshot_id = s.id AND e.insurer_id = $2)
       SELECT ${RECORD_COLUMNS}, s.tree_size::bigint AS tree_size, s.root_hash, (SELECT count(*) FROM e)::int AS exposed
         FROM (SELECT * FROM e, s ORDER BY md5(s.root_hash::text || e.beneficiary_id::text) LIMIT $3) x
         JOIN s ON true
         JOIN LATERAL (SELECT * FROM access_record a
                        WHERE a.insurer_id = x.insurer_id AND a.beneficiary_id = x.beneficiary_id AND a.at = x.first_at AND a.result = 'covered'
                        ORDER BY a.id LIMIT 1) r ON true`,
      [snapshotId, insurerId, PROOFS_PER_INSURER],
    ),
  );
  const first = rows[0];
  const proofs = [];
  for (const row of rows) {
    const proof = await proveRecord(db, row.id, Number(row.tree_size));
    proofs.push({ ...proof, leaf: encodeLeaf(toStoredRecord(row)).toString('hex') });
  }
  return {
    snapshot: snapshotId,
    treeSize: Number(first?.tree_size ?? 0),
    rootHash: first ? Buffer.from(first.root_hash).toString('hex') : '',
    sample: `au plus ${PROOFS_PER_INSURER} personnes, classées par md5(racine || identifiant) ; pour chacune, l’accès de sa première exposition`,
    exposed: first?.exposed ?? 0,
    proofs,
  };
}

/** The insurer's inclusion file, written where its package goes; how many proofs it holds. */
export async function writeInclusionFile(db: Database, snapshotId: number, insurerId: number, path: string): Promise<number> {
  const file = await inclusionFile(db, snapshotId, insurerId);
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return file.proofs.length;
}
