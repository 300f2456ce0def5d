import type { Tx } from '../db/database.js';
import type { HistoryCursor } from './cursor.js';

/** One access record of a beneficiary, with who made it and where, as the directory names them. */
export interface AccessEntry {
  id: number;
  at: Date;
  atMicros: number;
  purpose: string;
  disclosed: string[];
  result: string;
  /** null: a member of the platform's staff (no professional, no site). */
  professional: { firstName: string; lastName: string; professionCode: string; specialty: string | null } | null;
  site: { name: string; kind: string; department: string } | null;
}

export interface HistoryWindow {
  from?: Date | undefined;
  to?: Date | undefined;
  after?: HistoryCursor | undefined;
  limit: number;
}

interface Row {
  id: number;
  at: Date;
  at_us: number;
  purpose: string;
  disclosed: string[];
  result: string;
  first_name: string | null;
  last_name: string | null;
  profession_code: string | null;
  specialty: string | null;
  site_name: string | null;
  site_kind: string | null;
  department: string | null;
}

/**
 * Newest first, through the log's (insurer_id, beneficiary_id, at) index. Left joins: the
 * log outlives the directory's rows, and a record by a member of staff names neither a
 * professional nor a site.
 */
const HISTORY_SQL = `SELECT r.id, r.at, (extract(epoch FROM r.at) * 1000000)::bigint AS at_us, r.purpose, r.disclosed, r.result,
       p.first_name, p.last_name, p.profession_code, p.specialty, s.name AS site_name, s.kind AS site_kind, s.department
  FROM access_record r
  LEFT JOIN professional p ON p.id = r.professional_id
  LEFT JOIN site s ON s.id = r.site_id
 WHERE r.insurer_id = $1 AND r.beneficiary_id = $2
   AND ($3::timestamptz IS NULL OR r.at >= $3) AND ($4::timestamptz IS NULL OR r.at < $4)
   AND ($5::bigint IS NULL OR ((extract(epoch FROM r.at) * 1000000)::bigint, r.id) < ($5::bigint, $6::bigint))
 ORDER BY r.at DESC, r.id DESC
 LIMIT $7`;

/** A page of a beneficiary's history, and whether older records remain (one more is read to know). */
export async function accessHistory(tx: Tx, insurerId: number, beneficiaryId: number, window: HistoryWindow): Promise<{ entries: AccessEntry[]; more: boolean }> {
  const found = await tx.query<Row>(HISTORY_SQL, [
    insurerId, beneficiaryId, window.from ?? null, window.to ?? null, window.after?.atMicros ?? null, window.after?.id ?? null, window.limit + 1,
  ]);
  return { entries: found.rows.slice(0, window.limit).map(entryOf), more: found.rows.length > window.limit };
}

function entryOf(row: Row): AccessEntry {
  return {
    id: Number(row.id),
    at: row.at,
    atMicros: Number(row.at_us),
    purpose: row.purpose,
    disclosed: row.disclosed,
    result: row.result,
    professional: row.last_name === null ? null : { firstName: row.first_name ?? '', lastName: row.last_name, professionCode: row.profession_code ?? '', specialty: row.specialty },
    site: row.site_name === null ? null : { name: row.site_name, kind: row.site_kind ?? '', department: row.department ?? '' },
  };
}
