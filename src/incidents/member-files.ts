import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify';
import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import type { SealedIdentity } from '../registry/beneficiaries/stage.js';
import { beneficiaryIdentity, type Vault } from '../vault/index.js';
import { approvalsOf } from './member-export.js';
import { snapshotInsurers, type InsurerExposure } from './snapshot.js';

/** Members read per round trip: bounded memory whatever the incident's size. */
const BATCH = 20_000;

export interface MemberLine {
  /** null: the member left the registry since (the line stays, for the insurer to trace). */
  memberNumber: string | null;
  rank: number | null;
  /** With member number and rank, what the insurer knows a beneficiary by (twins and children share the rest). */
  birthDate: string | null;
  quality: number | null;
  categories: string[];
  firstAt: Date;
  lastAt: Date;
  records: number;
}

export interface MemberFile extends InsurerExposure {
  path: string;
  members: number;
}

/** The snapshot an approved export names, and the file written for each of its insurers. */
export interface MemberFiles {
  snapshotId: number;
  files: MemberFile[];
}

export const MEMBER_FILE_NAME = 'adherents-a-notifier.csv';

/**
 * Writes each insurer's file of members to notify (member number, birth date, rank and
 * quality; what was disclosed, first and last exposure, accesses), one folder per AMC
 * number, once two security officers approved the export. The birth date is unsealed
 * here, and only here. `words` turns stored categories into the French the letters use.
 */
export async function writeMemberFiles(db: Database, vault: Vault, exportId: number, outDir: string, words: (categories: readonly string[]) => string): Promise<MemberFiles> {
  const approvals = await db.transaction('platform', (tx) => approvalsOf(tx, exportId));
  if (!approvals.approved) throw new RempartError('MEMBER_EXPORT_NOT_APPROVED', `${approvals.approvers.length} approbation(s) sur 2`);
  const files: MemberFile[] = [];
  for (const insurer of await db.transaction('platform', (tx) => snapshotInsurers(tx, approvals.snapshotId))) {
    const dir = join(outDir, insurer.amcNumber);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, MEMBER_FILE_NAME);
    files.push({ ...insurer, path, members: await writeOne(db, vault, approvals.snapshotId, insurer.insurerId, path, words) });
  }
  return { snapshotId: approvals.snapshotId, files };
}

async function writeOne(db: Database, vault: Vault, snapshotId: number, insurerId: number, path: string, words: (categories: readonly string[]) => string): Promise<number> {
  const csv = stringify({ header: true, columns: ['numero_adherent', 'date_naissance', 'rang', 'qualite', 'donnees_consultees', 'categories', 'premiere_exposition', 'derniere_exposition', 'acces'] });
  const out = createWriteStream(path);
  csv.pipe(out);
  let members = 0;
  for await (const batch of memberBatches(db, vault, snapshotId, insurerId)) {
    for (const line of batch) {
      const row = [line.memberNumber ?? '', line.birthDate ?? '', line.rank === null ? '' : String(line.rank).padStart(2, '0'), line.quality ?? '', words(line.categories), line.categories.join(' '), line.firstAt.toISOString(), line.lastAt.toISOString(), line.records];
      if (!csv.write(row)) await once(csv, 'drain');
    }
    members += batch.length;
  }
  csv.end();
  await once(out, 'finish');
  return members;
}

/**
 * One insurer's exposed members, in the insurer's own scope (its registry is invisible
 * to any other), by keyset batches of beneficiary id.
 */
export async function* memberBatches(db: Database, vault: Vault, snapshotId: number, insurerId: number): AsyncGenerator<MemberLine[]> {
  let after = 0;
  for (;;) {
    const { keys, found } = await db.transaction({ insurerId }, async (tx) => ({
      keys: await vault.keysFor(tx, insurerId),
      found: await tx.query<Row>(
        `SELECT e.beneficiary_id::bigint AS beneficiary_id, c.member_number, b.rank, b.quality, b.blind_index, b.identity,
                e.categories, e.first_at, e.last_at, e.records
           FROM incident_exposure e
           LEFT JOIN beneficiary b ON b.insurer_id = e.insurer_id AND b.id = e.beneficiary_id
           LEFT JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id
          WHERE e.snapshot_id = $1 AND e.insurer_id = $2 AND e.beneficiary_id > $3
          ORDER BY e.beneficiary_id LIMIT ${BATCH}`,
        [snapshotId, insurerId, after],
      ),
    }));
    if (found.rows.length === 0) return;
    after = Number(found.rows[found.rows.length - 1]?.beneficiary_id);
    yield found.rows.map((row) => ({
      memberNumber: row.member_number,
      rank: row.rank,
      quality: row.quality,
      birthDate: row.identity && row.blind_index ? birthDateOf(keys.decrypt(Buffer.from(row.identity), beneficiaryIdentity(Buffer.from(row.blind_index)))) : null,
      categories: row.categories,
      firstAt: new Date(row.first_at),
      lastAt: new Date(row.last_at),
      records: row.records,
    }));
  }
}

interface Row {
  beneficiary_id: number;
  member_number: string | null;
  rank: number | null;
  quality: number | null;
  blind_index: Uint8Array | null;
  identity: Uint8Array | null;
  categories: string[];
  first_at: Date;
  last_at: Date;
  records: number;
}

/** The birth date of a sealed identity; the rest of the plaintext is wiped at once. */
function birthDateOf(plain: Buffer): string {
  const identity = JSON.parse(plain.toString('utf8')) as SealedIdentity;
  plain.fill(0);
  return identity.birthDate;
}
