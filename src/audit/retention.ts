import { createHash } from 'node:crypto';
import type { Database, Tx } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import type { AuditSigner } from './checkpoint-signer.js';
import { microsToIso } from './leaf.js';

/**
 * Retention of the access log: the records of whole months older than the retention are
 * dropped with their partition; their leaves stay (hashes only), so the tree, every signed
 * checkpoint and every proof stay valid, and each dropped month leaves a signed drop record
 * (src/audit/retention-message.ts) that `rempart audit verify` checks. The database refuses
 * a month too recent, not fully sequenced or without its drop record, whoever asks
 * (audit_drop_month, migration 015). Idempotent: a dropped month has no partition left.
 *
 * Months are whole UTC months: with 12, in July 2025 the months up to June 2024 go, July
 * 2024 to July 2025 stay.
 */
export interface RetentionOptions {
  /** Whole months kept before the current one; 12 by default, at least 1. */
  months?: number;
  /** The clock for the cut-off and the drop records; the database's own clock has the last word. */
  now?: Date;
  /** Says what would be dropped, changes nothing. */
  dryRun?: boolean;
}

export type SkipReason = 'default-partition' | 'unsequenced' | 'refused';

export type MonthOutcome =
  | { month: string; status: 'dropped' | 'would-drop'; records: number }
  | { month: string; status: 'skipped'; reason: SkipReason; records: number; detail: string };

export interface RetentionReport {
  months: number;
  /** The first month kept, YYYY-MM. */
  keptFrom: string;
  outcomes: MonthOutcome[];
}

export const DEFAULT_RETENTION_MONTHS = 12;

/** A constant of this project's advisory-lock space (the sequencer uses 7245009). */
const RETENTION_LOCK = 7245015;
/** Leaf hashes read per fetch while the month's digest is made. */
const DIGEST_BATCH = 10_000;
/** Refusals of audit_drop_month: insufficient_privilege, object_not_in_prerequisite_state, lock_not_available. */
const REFUSALS = new Set(['42501', '55000', '55P03']);

/** `REMPART_RETENTION_MONTHS`, 12 when unset. */
export function retentionMonthsFromEnv(env: NodeJS.ProcessEnv): number {
  const value = env.REMPART_RETENTION_MONTHS;
  if (value === undefined || value.trim() === '') return DEFAULT_RETENTION_MONTHS;
  if (!/^\d{1,4}$/.test(value.trim())) throw new RempartError('AUDIT_RETENTION_INVALID', `REMPART_RETENTION_MONTHS=${value}`);
  return checkMonths(Number(value.trim()));
}

export function checkMonths(months: number): number {
  if (!Number.isSafeInteger(months) || months < 1) throw new RempartError('AUDIT_RETENTION_INVALID', String(months));
  return months;
}

export async function applyRetention(db: Database, signer: AuditSigner, options: RetentionOptions = {}): Promise<RetentionReport> {
  const months = checkMonths(options.months ?? DEFAULT_RETENTION_MONTHS);
  const now = options.now ?? new Date();
  const keptFrom = firstKeptMonth(now, months);
  const { partitions, inDefault } = await db.transaction('platform', (tx) => candidates(tx, keptFrom));
  const outcomes: MonthOutcome[] = inDefault.map(({ month, records }) => ({
    month,
    status: 'skipped',
    reason: 'default-partition',
    records,
    detail: 'enregistrements dans la partition par défaut : un mois ne se purge qu’entier, avec sa partition',
  }));
  for (const month of partitions) {
    const outcome = await dropMonth(db, signer, month, months, now, options.dryRun === true);
    if (outcome) outcomes.push(outcome);
  }
  outcomes.sort((a, b) => a.month.localeCompare(b.month));
  return { months, keptFrom: keptFrom.slice(0, 7), outcomes };
}

/** The partition of a month YYYY-MM, as audit_create_month names it (009). */
export function partitionOf(month: string): string {
  return `access_record_${month.replace('-', '_')}`;
}

/** YYYY-MM-01 of the month `months` before the current UTC month. */
function firstKeptMonth(now: Date, months: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1)).toISOString().slice(0, 10);
}

async function candidates(tx: Tx, keptFrom: string): Promise<{ partitions: string[]; inDefault: { month: string; records: number }[] }> {
  const partitions = await tx.query<{ month: string }>(
    `SELECT to_char(to_date(substr(c.relname, 15), 'YYYY_MM'), 'YYYY-MM') AS month
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'access_record'::regclass AND c.relname ~ '^access_record_[0-9]{4}_[0-9]{2}$'
        AND to_date(substr(c.relname, 15), 'YYYY_MM') < $1::date
      ORDER BY 1`,
    [keptFrom],
  );
  const inDefault = await tx.query<{ month: string; records: number }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, records FROM audit_default_months(($1::date)::timestamp AT TIME ZONE 'UTC')`,
    [keptFrom],
  );
  return { partitions: partitions.rows.map((row) => row.month), inDefault: inDefault.rows };
}

/** One month in a transaction of its own; undefined when another instance dropped it first. */
async function dropMonth(db: Database, signer: AuditSigner, month: string, retention: number, now: Date, dryRun: boolean): Promise<MonthOutcome | undefined> {
  try {
    return await db.transaction('platform', async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [RETENTION_LOCK]);
      const present = await tx.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [partitionOf(month)]);
      if (present.rows[0]?.present !== true) return undefined;
      const counts = await countMonth(tx, month);
      if (counts.unsequenced > 0 || counts.leaves !== counts.records) {
        const detail = `${counts.records} enregistrement(s), ${counts.leaves} feuille(s), ${counts.unsequenced} pas encore séquencé(s)`;
        return { month, status: 'skipped', reason: 'unsequenced', records: counts.records, detail };
      }
      if (dryRun) return { month, status: 'would-drop', records: counts.records };
      await insertDropRecord(tx, signer, month, counts, now);
      const dropped = await tx.query<{ dropped: number }>('SELECT audit_drop_month($1::date, $2) AS dropped', [`${month}-01`, retention]);
      return { month, status: 'dropped', records: Number(dropped.rows[0]?.dropped ?? 0) };
    });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (!REFUSALS.has(code)) throw error;
    return { month, status: 'skipped', reason: 'refused', records: 0, detail: error instanceof Error ? error.message : String(error) };
  }
}

interface MonthCounts {
  records: number;
  leaves: number;
  unsequenced: number;
  firstLeaf: number | null;
  lastLeaf: number | null;
}

const MONTH_START = `($1::date)::timestamp AT TIME ZONE 'UTC'`;
const NEXT_MONTH = `($1::date + interval '1 month')::timestamp AT TIME ZONE 'UTC'`;

async function countMonth(tx: Tx, month: string): Promise<MonthCounts> {
  const first = `${month}-01`;
  const records = await tx.query<{ records: number; unsequenced: number }>(
    `SELECT count(*)::bigint AS records,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM access_leaf l WHERE l.record_id = r.id AND l.record_at = r.at))::bigint AS unsequenced
       FROM access_record r WHERE r.at >= ${MONTH_START} AND r.at < ${NEXT_MONTH}`,
    [first],
  );
  const leaves = await tx.query<{ leaves: number; first_leaf: number | null; last_leaf: number | null }>(
    `SELECT count(*)::bigint AS leaves, min(leaf_index) AS first_leaf, max(leaf_index) AS last_leaf
       FROM access_leaf WHERE record_at >= ${MONTH_START} AND record_at < ${NEXT_MONTH}`,
    [first],
  );
  const r = records.rows[0];
  const l = leaves.rows[0];
  return {
    records: Number(r?.records ?? 0),
    unsequenced: Number(r?.unsequenced ?? 0),
    leaves: Number(l?.leaves ?? 0),
    firstLeaf: l?.first_leaf ?? null,
    lastLeaf: l?.last_leaf ?? null,
  };
}

/** SHA-256 over the month's leaf hashes in leaf order, read through a cursor (a month may hold millions). */
async function leavesDigest(tx: Tx, month: string): Promise<Buffer> {
  const digest = createHash('sha256');
  await tx.query(
    `DECLARE retention_leaves NO SCROLL CURSOR FOR
       SELECT leaf_hash FROM access_leaf WHERE record_at >= ${MONTH_START} AND record_at < ${NEXT_MONTH} ORDER BY leaf_index`,
    [`${month}-01`],
  );
  for (;;) {
    const batch = await tx.query<{ leaf_hash: Uint8Array }>(`FETCH ${DIGEST_BATCH} FROM retention_leaves`);
    for (const row of batch.rows) digest.update(row.leaf_hash);
    if (batch.rows.length < DIGEST_BATCH) break;
  }
  await tx.query('CLOSE retention_leaves');
  return digest.digest();
}

async function insertDropRecord(tx: Tx, signer: AuditSigner, month: string, counts: MonthCounts, now: Date): Promise<void> {
  const droppedAtMicros = BigInt(now.getTime()) * 1000n;
  const body = { month, records: counts.records, firstLeaf: counts.firstLeaf, lastLeaf: counts.lastLeaf, leavesDigest: await leavesDigest(tx, month), droppedAtMicros };
  const signature = signer.signDrop(body);
  await tx.query(
    `INSERT INTO audit_retention_drop (month, partition, records, first_leaf, last_leaf, leaves_digest, dropped_at, key_id, signature)
     VALUES ($1::date, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9)`,
    [`${month}-01`, partitionOf(month), body.records, body.firstLeaf, body.lastLeaf, body.leavesDigest, microsToIso(droppedAtMicros), signer.keyId, signature],
  );
}
