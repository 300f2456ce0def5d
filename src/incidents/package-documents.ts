import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { toMarkdown, toPdf } from './documents/index.js';
import { approvalsOf } from './member-export.js';
import { DOCUMENTS, insurerFacts, type NoticeContext } from './notification.js';
import { snapshotInsurers } from './snapshot.js';

/** The documents of an insurer's package a browser may download: each one, in Markdown or PDF. */
export const DOCUMENT_FILES: readonly string[] = DOCUMENTS.flatMap(([name]) => [`${name}.pdf`, `${name}.md`]);

/**
 * One document of an insurer's package, for an export two officers approved: the draft of
 * its CNIL notification, the notice to it as controller, the model of the letter to its
 * members. Counts, categories and dates only, no member: the members file stays with
 * `rempart incident export`, on the console host.
 */
export async function packageDocument(db: Database, exportId: number, amcNumber: string, file: string, context: NoticeContext): Promise<{ type: string; body: Buffer | string }> {
  const { snapshotId, insurer } = await db.transaction('platform', async (tx) => {
    const approvals = await approvalsOf(tx, exportId);
    if (!approvals.approved) throw new RempartError('MEMBER_EXPORT_NOT_APPROVED', `demande ${exportId}`);
    return { snapshotId: approvals.snapshotId, insurer: (await snapshotInsurers(tx, approvals.snapshotId)).find((i) => i.amcNumber === amcNumber) };
  });
  const build = DOCUMENTS.find(([name]) => file === `${name}.pdf` || file === `${name}.md`)?.[1];
  if (!insurer || !build) throw new RempartError('NOT_FOUND', `${amcNumber}/${file}`);
  const doc = build(await insurerFacts(db, snapshotId, insurer, context));
  return file.endsWith('.pdf') ? { type: 'application/pdf', body: await toPdf(doc) } : { type: 'text/markdown; charset=utf-8', body: toMarkdown(doc) };
}
