import type { Reject } from '../ingest/reject-report.js';
import { copyRow } from '../../db/copy-text.js';
import type { DirectoryEntry, DirectoryKeep, DirectoryLine } from './directory-line.js';

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
  // Whom rejected lines name (kind rpps, finess or siret): the file ends none of their activities.
  'CREATE TEMP TABLE stage_directory_protected (kind text, value text, PRIMARY KEY (kind, value)) ON COMMIT DROP',
  'CREATE TEMP TABLE stage_activity_end (id bigint PRIMARY KEY, rpps text NOT NULL, finess text, siret text, started_on date NOT NULL) ON COMMIT DROP',
];

export interface StagedBatch {
  text: string;
  rows: number;
  /** Staging rejects nothing here: every fault is found by the line reader or the merge. */
  rejects: Reject[];
  /** Pairs (kind, value) named by the batch's rejected lines. */
  protections: [string, string][];
}

export function stageBatch(entries: readonly DirectoryEntry[]): StagedBatch {
  let text = '';
  let rows = 0;
  const protections: [string, string][] = [];
  for (const entry of entries) {
    if (entry.kind === 'keep') {
      protections.push(...named(entry));
      continue;
    }
    text += stageRow(entry);
    rows += 1;
  }
  return { text, rows, rejects: [], protections };
}

function named(keep: DirectoryKeep): [string, string][] {
  const pairs: [string, string | null][] = [['rpps', keep.rpps], ['finess', keep.finess], ['siret', keep.siret]];
  return pairs.filter((pair): pair is [string, string] => pair[1] !== null);
}

function stageRow(line: DirectoryLine): string {
  return copyRow([
    line.line, line.rpps, line.lastName, line.firstName, line.profession, line.specialty, line.finess, line.siret, line.siteName,
    line.siteKind, line.department, line.amNumber, line.role, line.startedOn, line.endedOn,
  ]);
}
