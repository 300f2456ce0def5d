import type { Reject } from '../ingest/reject-report.js';
import { copyRow } from '../../db/copy-text.js';
import type { DirectoryLine } from './directory-line.js';

/** The staging table one load fills by COPY, batch after batch, before merging. */
export const stageColumns = [
  'line', 'rpps', 'last_name', 'first_name', 'profession_code', 'specialty', 'finess', 'siret', 'site_name',
  'site_kind', 'department', 'am_number', 'role', 'started_on', 'ended_on',
] as const;

/**
 * `site_id` is resolved by the merge; `skip` marks a rejected line, `changed` a line whose
 * professional, site or activity the merge wrote. The seen-set holds every activity key
 * of the file so far, so a repeat is caught across batches without growing the loader.
 */
export const createStageSql = [
  `CREATE TEMP TABLE stage_directory (
    line integer PRIMARY KEY, rpps text NOT NULL, last_name text NOT NULL, first_name text NOT NULL,
    profession_code text NOT NULL, specialty text, finess text, siret text, site_name text NOT NULL,
    site_kind text NOT NULL, department text NOT NULL, am_number text, role text NOT NULL,
    started_on date NOT NULL, ended_on date, site_id bigint,
    skip boolean NOT NULL DEFAULT false, changed boolean NOT NULL DEFAULT false
  ) ON COMMIT DROP`,
  'CREATE TEMP TABLE stage_directory_seen (rpps text, site_id bigint, started_on date, PRIMARY KEY (rpps, site_id, started_on)) ON COMMIT DROP',
];

export interface StagedBatch {
  text: string;
  rows: number;
  /** Staging rejects nothing here: every fault is found by the line reader or the merge. */
  rejects: Reject[];
}

export function stageBatch(lines: readonly DirectoryLine[]): StagedBatch {
  const text = lines.map(stageRow).join('');
  return { text, rows: lines.length, rejects: [] };
}

function stageRow(line: DirectoryLine): string {
  return copyRow([
    line.line, line.rpps, line.lastName, line.firstName, line.profession, line.specialty, line.finess, line.siret, line.siteName,
    line.siteKind, line.department, line.amNumber, line.role, line.startedOn, line.endedOn,
  ]);
}
