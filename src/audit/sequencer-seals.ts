import type { Tx } from '../db/database.js';
import { sealNonce, type AccessSealer } from './access-seal.js';
import { microsToIso, type StoredAccessRecord } from './leaf.js';

/** Why the sequencer refused a record (access_quarantine.reason, migration 022). */
export type RefusalReason = 'unsealed' | 'invalid' | 'replayed';

interface Refused {
  record: StoredAccessRecord;
  reason: RefusalReason;
}

/** Records named in one alert, at most: the rest are in access_quarantine. */
const ALERT_RECORDS = 50;

const REASONS: Readonly<Record<RefusalReason, string>> = {
  unsealed: 'sans sceau',
  invalid: 'sceau faux',
  replayed: 'sceau recopié d’un autre accès',
};

/**
 * The sequencer's gate (issue 15, point 7): a record enters the tree only with a valid
 * seal (src/audit/access-seal.ts) whose nonce no other record has used. What it refuses is
 * set aside in access_quarantine and raised as one platform alert in shield_alert, the
 * table the security console reads, in the pass's transaction; the pass signs the rest.
 * A record refused again by a later pass (when nothing valid moved the watermark past it)
 * is quarantined and alerted once.
 */
export class SealGate {
  private readonly nonces = new Set<string>();
  private readonly refused: Refused[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly sealer: AccessSealer,
  ) {}

  /** The batch's records the tree may take, in order; the others are kept for `quarantine`. */
  async admit(records: readonly StoredAccessRecord[]): Promise<Set<StoredAccessRecord>> {
    const valid = records.filter((record) => this.refuseUnless(record, this.sealer.check(record)));
    // A valid seal has a nonce; only a sealer that passes everything (a test's attacker) lets a record through without one.
    const nonces = valid.map((record) => sealNonce(record.seal)?.toString('hex'));
    const sequenced = await this.tx.query<{ nonce: string }>(
      `SELECT encode(seal_nonce, 'hex') AS nonce FROM access_leaf WHERE seal_nonce IN (SELECT decode(n, 'hex') FROM unnest($1::text[]) AS n)`,
      [nonces.filter((nonce) => nonce !== undefined)],
    );
    for (const row of sequenced.rows) this.nonces.add(row.nonce);
    const admitted = new Set<StoredAccessRecord>();
    valid.forEach((record, i) => {
      const nonce = nonces[i];
      if (nonce === undefined) return void admitted.add(record);
      if (this.nonces.has(nonce)) return void this.refused.push({ record, reason: 'replayed' });
      this.nonces.add(nonce);
      admitted.add(record);
    });
    return admitted;
  }

  /** Writes what was refused, with an alert for what had not been refused before. */
  async quarantine(now: Date): Promise<number> {
    if (this.refused.length === 0) return 0;
    const fresh = await this.tx.query<{ record_id: number }>(
      `INSERT INTO access_quarantine (record_id, record_at, reason)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) ON CONFLICT DO NOTHING RETURNING record_id`,
      [this.refused.map((r) => r.record.id), this.refused.map((r) => microsToIso(r.record.atMicros)), this.refused.map((r) => r.reason)],
    );
    const ids = new Set(fresh.rows.map((row) => Number(row.record_id)));
    const alerted = this.refused.filter((r) => ids.has(r.record.id));
    if (alerted.length > 0) await this.alert(alerted, now);
    return alerted.length;
  }

  private refuseUnless(record: StoredAccessRecord, check: ReturnType<AccessSealer['check']>): boolean {
    if (check === 'valid') return true;
    this.refused.push({ record, reason: check });
    return false;
  }

  private async alert(refused: readonly Refused[], now: Date): Promise<void> {
    const accounts = [...new Set(refused.flatMap((r) => (r.record.professionalId === null ? [] : [r.record.professionalId])))];
    const summary =
      `Journal d’accès : ${refused.length} enregistrement(s) écrit(s) sans la clé de l’application ` +
      `(${[...new Set(refused.map((r) => REASONS[r.reason]))].join(', ')}), écartés du journal signé : la base a été écrite directement`;
    const records = refused.slice(0, ALERT_RECORDS).map((r) => ({ id: r.record.id, at: microsToIso(r.record.atMicros), reason: r.reason }));
    await this.tx.query(`INSERT INTO shield_alert (at, kind, professional_id, summary, accounts, details) VALUES ($1, 'platform', NULL, $2, $3::bigint[], $4::jsonb)`, [
      now,
      summary,
      accounts,
      JSON.stringify({ source: 'access_log', refused: refused.length, records }),
    ]);
  }
}
