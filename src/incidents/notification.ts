import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import type { Vault } from '../vault/index.js';
import { RempartError } from '../domain/errors/codes.js';
import { memberWords } from './documents/categories.js';
import { cnilDraft, controllerNotice, memberLetter, memberLetterModel, toMarkdown, toPdf, type Doc, type NotificationFacts } from './documents/index.js';
import { incidentSummary } from './incidents.js';
import { writeInclusionFile } from './inclusion-file.js';
import { memberBatches, writeMemberFiles, type MemberFile } from './member-files.js';
import type { InsurerExposure } from './snapshot.js';

/** What the security officer states about the incident, and whom the letters name. */
export interface NoticeContext {
  nature: string;
  measures: string[];
  operator: { name: string; contact: string };
  /** The insurer's data-protection contact, as its members should write to it. */
  dpoContact: (insurer: { amcNumber: string; name: string }) => string;
  /** Also write one letter per member (Markdown), beside the model. */
  letters: boolean;
}

/** The snapshot's inclusion proofs for one insurer (src/incidents/inclusion-file.ts). */
export const INCLUSION_FILE_NAME = 'preuves-inclusion.json';

export interface InsurerPackage extends MemberFile {
  documents: string[];
}

/** Each document, its file name without extension: written as Markdown and PDF. */
export const DOCUMENTS: [string, (facts: NotificationFacts) => Doc][] = [
  ['notification-cnil-projet', cnilDraft],
  ['notice-du-sous-traitant', controllerNotice],
  ['lettre-aux-adherents-modele', memberLetterModel],
];

/**
 * Everything each insurer receives, one folder per AMC number, once two officers approved:
 * its members file, the draft of its CNIL notification (art. 33(3)), the operator's notice
 * to it as controller (art. 33(2)) and the letter to its members (art. 34), in Markdown
 * and PDF; and inclusion proofs that its share is in the signed log the snapshot names.
 */
export async function writeIncidentPackage(db: Database, vault: Vault, exportId: number, outDir: string, context: NoticeContext): Promise<InsurerPackage[]> {
  const { snapshotId, files } = await writeMemberFiles(db, vault, exportId, outDir, (categories) => memberWords(categories).join(' ; '));
  const packages: InsurerPackage[] = [];
  for (const file of files) {
    const facts = await insurerFacts(db, snapshotId, file, context);
    const dir = join(outDir, file.amcNumber);
    const documents: string[] = [];
    for (const [name, build] of DOCUMENTS) {
      const doc = build(facts);
      writeFileSync(join(dir, `${name}.md`), toMarkdown(doc));
      writeFileSync(join(dir, `${name}.pdf`), await toPdf(doc));
      documents.push(`${name}.md`, `${name}.pdf`);
    }
    await writeInclusionFile(db, snapshotId, file.insurerId, join(dir, INCLUSION_FILE_NAME));
    documents.push(INCLUSION_FILE_NAME);
    if (context.letters) documents.push(await writeLetters(db, vault, snapshotId, file.insurerId, facts, join(dir, 'lettres')));
    packages.push({ ...file, documents });
  }
  return packages;
}

/** One letter per member, named by member number, birth date and rank (a contract's people may share a rank). */
async function writeLetters(db: Database, vault: Vault, snapshotId: number, insurerId: number, facts: NotificationFacts, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for await (const batch of memberBatches(db, vault, snapshotId, insurerId)) {
    for (const m of batch) {
      if (m.memberNumber === null || m.rank === null) continue;
      const rank = String(m.rank).padStart(2, '0');
      writeFileSync(join(dir, `${m.memberNumber}-${m.birthDate ?? 'inconnue'}-${rank}.md`), toMarkdown(memberLetter(facts, { ...m, memberNumber: m.memberNumber, rank })));
    }
  }
  return 'lettres/';
}

/** One insurer's share of a snapshot (its counts as the snapshot gave them), with the incident's facts, as the documents need them. */
export async function insurerFacts(db: Database, snapshotId: number, insurer: InsurerExposure, context: NoticeContext): Promise<NotificationFacts> {
  return db.transaction('platform', async (tx) => {
    const snapshot = (
      await tx.query<{ incident_id: number; computed_at: Date; tree_size: number; root_hash: Uint8Array; window_from: Date; window_to: Date }>(
        `SELECT s.incident_id::int AS incident_id, s.computed_at, s.tree_size::bigint AS tree_size, s.root_hash, i.window_from, i.window_to
           FROM incident_snapshot s JOIN incident i ON i.id = s.incident_id WHERE s.id = $1`,
        [snapshotId],
      )
    ).rows[0];
    if (!snapshot) throw new RempartError('INCIDENT_SNAPSHOT_UNKNOWN', `instantané ${snapshotId}`);
    const incident = await incidentSummary(tx, snapshot.incident_id);
    const span = (
      await tx.query<{ first_at: Date; last_at: Date }>(
        'SELECT min(first_at) AS first_at, max(last_at) AS last_at FROM incident_exposure WHERE snapshot_id = $1 AND insurer_id = $2',
        [snapshotId, insurer.insurerId],
      )
    ).rows[0];
    const categories = await tx.query<{ category: string; beneficiaries: number }>(
      'SELECT c AS category, count(*)::int AS beneficiaries FROM incident_exposure, unnest(categories) AS c WHERE snapshot_id = $1 AND insurer_id = $2 GROUP BY c ORDER BY c',
      [snapshotId, insurer.insurerId],
    );
    if (!span) throw new Error('aucune exposition pour cet organisme');
    return {
      incident: { id: incident.id, title: incident.title, detectedAt: incident.detectedAt, notifyBy: incident.notifyBy, windowFrom: new Date(snapshot.window_from), windowTo: new Date(snapshot.window_to), nature: context.nature, measures: context.measures },
      operator: context.operator,
      insurer: { amcNumber: insurer.amcNumber, name: insurer.name, dpoContact: context.dpoContact(insurer) },
      snapshot: { id: snapshotId, computedAt: new Date(snapshot.computed_at), treeSize: Number(snapshot.tree_size), rootHash: Buffer.from(snapshot.root_hash).toString('hex') },
      exposure: { beneficiaries: insurer.beneficiaries, records: insurer.records, firstAt: new Date(span.first_at), lastAt: new Date(span.last_at), categories: categories.rows },
    };
  });
}
