import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { causeLabels } from './db-sink.js';
import type { Action, AlertKind, Cause } from './decisions.js';
import { profileOf, type Profile } from './profile.js';

/**
 * What the security console reads of the shield: alerts (open first), their
 * acknowledgement, and one account's timeline. Platform scope: these tables have no insurer.
 */

export interface AlertView {
  id: number;
  at: Date;
  kind: AlertKind;
  /** The account of an account alert. */
  rpps: string | null;
  summary: string;
  /** Every account involved, by RPPS. */
  accounts: string[];
  details: Record<string, unknown>;
  acknowledgement: { by: string; at: Date; reason: string } | null;
}

type AlertRow = Omit<AlertView, 'acknowledgement'> & {
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  acknowledgement: string | null;
};

/**
 * Alerts, open ones first, then newest first; `before` (an alert id) gives the page after
 * the one that ended with it, in the same order.
 */
export async function listAlerts(db: Database, options: { openOnly: boolean; before?: number | undefined; limit: number }): Promise<AlertView[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<AlertRow>(
      `WITH cursor AS (SELECT acknowledged_at IS NOT NULL AS done, id FROM shield_alert WHERE id = $2)
       SELECT a.id, a.at, a.kind, p.rpps, a.summary, a.details, a.acknowledged_by, a.acknowledged_at, a.acknowledgement,
              ARRAY(SELECT q.rpps FROM professional q WHERE q.id = ANY(a.accounts) ORDER BY q.rpps) AS accounts
         FROM shield_alert a LEFT JOIN professional p ON p.id = a.professional_id
        WHERE (NOT $1::boolean OR a.acknowledged_at IS NULL)
          AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM cursor c
                WHERE (a.acknowledged_at IS NOT NULL) > c.done OR ((a.acknowledged_at IS NOT NULL) = c.done AND a.id < c.id)))
        ORDER BY a.acknowledged_at IS NOT NULL, a.id DESC
        LIMIT $3`,
      [options.openOnly, options.before ?? null, options.limit],
    ),
  );
  return found.rows.map((row) => ({
    id: Number(row.id),
    at: new Date(row.at),
    kind: row.kind,
    rpps: row.rpps,
    summary: row.summary,
    accounts: row.accounts,
    details: row.details,
    acknowledgement:
      row.acknowledged_at === null ? null : { by: row.acknowledged_by ?? '', at: new Date(row.acknowledged_at), reason: row.acknowledgement ?? '' },
  }));
}

/** Acknowledges an alert, once: who, when, and why it is closed. */
export async function acknowledgeAlert(db: Database, id: number, by: string, reason: string, now: Date): Promise<void> {
  await db.transaction('platform', async (tx) => {
    const updated = await tx.query(
      `UPDATE shield_alert SET acknowledged_by = $2, acknowledged_at = $3, acknowledgement = $4
        WHERE id = $1 AND acknowledged_at IS NULL RETURNING id`,
      [id, by, now, reason],
    );
    if (updated.rowCount > 0) return;
    const exists = await tx.query('SELECT 1 FROM shield_alert WHERE id = $1', [id]);
    throw new RempartError(exists.rowCount > 0 ? 'ALERT_ALREADY_ACKNOWLEDGED' : 'ALERT_UNKNOWN');
  });
}

/** A professional's account as the console names it; ACCOUNT_UNKNOWN otherwise. */
export interface ConsoleAccount {
  id: number;
  rpps: string;
  /** The profiles of the sites where the account practises today (its profession's alone if none). */
  profiles: Profile[];
}

export async function accountByRpps(db: Database, rpps: string, today: string): Promise<ConsoleAccount> {
  const found = await db.query<{ id: number; profession_code: string; specialty: string | null; kind: string | null }>(
    `SELECT p.id, p.profession_code, p.specialty, s.kind
       FROM professional p
       LEFT JOIN activity a ON a.professional_id = p.id AND active_on(a.started_on, a.ended_on, $2::date)
       LEFT JOIN site s ON s.id = a.site_id
      WHERE p.rpps = $1`,
    [rpps, today],
  );
  const first = found.rows[0];
  if (first === undefined) throw new RempartError('ACCOUNT_UNKNOWN', `RPPS ${rpps}`);
  const profiles = [...new Set(found.rows.map((row) => profileOf({ professionCode: row.profession_code, specialty: row.specialty, siteKind: row.kind ?? '' })))];
  return { id: Number(first.id), rpps, profiles };
}

export type TimelineKind = 'decision' | 'alerte' | 'suspension' | 'levee' | 'authentification';

export interface TimelineItem {
  at: Date;
  kind: TimelineKind;
  summary: string;
  details: Record<string, unknown>;
}

interface TimelineRow {
  at: Date;
  kind: TimelineKind;
  id: number;
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  data: Record<string, unknown> | null;
}

const actionLabels: Readonly<Record<Action, string>> = {
  slow: 'ralenti',
  step_up: 'confirmation d’identité demandée',
  cleared: 'identité confirmée, compte rétabli',
  suspend: 'suspendu',
  tighten: 'budgets resserrés',
};

/**
 * One account's history, newest first: the shield's decisions, the alerts naming it,
 * its suspensions and their lifts, its authentication events. Each source gives at most
 * `limit` items before `before`, so the merge is exact for the first `limit`. At the same
 * instant, a consequence comes before its cause: alert, suspension, decision.
 */
export async function accountTimeline(db: Database, account: ConsoleAccount, options: { before?: Date | undefined; limit: number }): Promise<TimelineItem[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<TimelineRow>(
      `(SELECT at, 3 AS rank, 'decision' AS kind, id, action AS a, cause AS b, client_id AS c, site_id::text AS d,
               jsonb_build_object('findings', findings, 'signals', signals) AS data
          FROM shield_decision WHERE professional_id = $1 AND at < $3 ORDER BY at DESC, id DESC LIMIT $4)
       UNION ALL
       (SELECT at, 1, 'alerte', id, kind, summary, acknowledged_by, acknowledgement, details
          FROM shield_alert WHERE (professional_id = $1 OR accounts @> ARRAY[$1::bigint]) AND at < $3 ORDER BY at DESC, id DESC LIMIT $4)
       UNION ALL
       (SELECT suspended_at, 2, 'suspension', id, suspended_by, reason, NULL, NULL, NULL
          FROM account_suspension WHERE professional_id = $1 AND suspended_at < $3 ORDER BY suspended_at DESC, id DESC LIMIT $4)
       UNION ALL
       (SELECT lifted_at, 0, 'levee', id, lifted_by, lift_reason, lift_requested_by, NULL, NULL
          FROM account_suspension WHERE professional_id = $1 AND lifted_at < $3 ORDER BY lifted_at DESC, id DESC LIMIT $4)
       UNION ALL
       (SELECT at, 4, 'authentification', id, kind, outcome, reason, ip, jsonb_build_object('client', client_id, 'credential', credential)
          FROM auth_event WHERE subject = $2 AND at < $3 ORDER BY at DESC, id DESC LIMIT $4)
       ORDER BY at DESC, rank, id DESC
       LIMIT $4`,
      [account.id, `RPPS ${account.rpps}`, options.before ?? new Date('9999-12-31T00:00:00Z'), options.limit],
    ),
  );
  return found.rows.map((row) => timelineItem(row));
}

function timelineItem(row: TimelineRow): TimelineItem {
  const at = new Date(row.at);
  const id = Number(row.id);
  switch (row.kind) {
    case 'decision': {
      const action = row.a as Action;
      const cause = row.b as Cause;
      const findings = (row.data?.findings ?? []) as { signal: string; value: number; threshold: number }[];
      const beyond = findings.map((f) => `${f.signal} ${f.value} > ${f.threshold}`).join(', ');
      return {
        at,
        kind: 'decision',
        summary: `Bouclier : ${actionLabels[action] ?? action} (${causeLabels[cause] ?? cause}${beyond ? ` : ${beyond}` : ''})`,
        details: { decision: id, action, cause, structure: row.d === null ? null : Number(row.d), logiciel: row.c, findings, signals: row.data?.signals ?? null },
      };
    }
    case 'alerte':
      return {
        at,
        kind: 'alerte',
        summary: row.b ?? '',
        details: { alerte: id, type: row.a === 'platform' ? 'plateforme' : 'compte', acquitteePar: row.c, motifAcquittement: row.d, ...(row.data ?? {}) },
      };
    case 'suspension':
      return { at, kind: 'suspension', summary: `Suspendu par ${row.a ?? ''} : ${row.b ?? ''}`, details: { suspension: id, par: row.a } };
    case 'levee':
      return {
        at,
        kind: 'levee',
        summary: `Suspension ${id} levée par ${row.c ? `${row.c} et ` : ''}${row.a ?? ''} : ${row.b ?? ''}`,
        details: { suspension: id, par: row.a, demandeePar: row.c, motif: row.b },
      };
    case 'authentification':
      return {
        at,
        kind: 'authentification',
        summary: `${row.a ?? ''} ${row.b === 'success' ? 'réussi' : 'refusé'}${row.c ? ` : ${row.c}` : ''}`,
        details: { evenement: id, ip: row.d, ...(row.data ?? {}) },
      };
  }
}
