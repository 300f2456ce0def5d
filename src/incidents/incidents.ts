import type { Database, Tx } from '../db/database.js';
import { DAY_MS, HOUR_MS } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { checkScope, type IncidentScope } from './scope.js';

/** The notification deadline of GDPR art. 33: 72 hours from detection. */
export const NOTIFICATION_HOURS = 72;
/** An incident opened from an alert looks this far back from it, unless told otherwise. */
export const ALERT_LOOKBACK_DAYS = 30;

export interface IncidentInput {
  title: string;
  detectedAt: Date;
  openedBy: string;
  alertId: number | null;
  scope: IncidentScope;
}

export interface IncidentSummary {
  id: number;
  title: string;
  detectedAt: Date;
  /** detectedAt + 72 hours: when the controllers' notifications to the CNIL are due. */
  notifyBy: Date;
}

/** Opens an incident on a scope; its id. */
export async function openIncident(db: Database, input: IncidentInput): Promise<number> {
  const scope = checkScope(input.scope);
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ id: number }>(
      `INSERT INTO incident (title, detected_at, opened_by, alert_id, window_from, window_to, professionals, sites, clients, networks, devices)
       VALUES ($1, $2, $3, $4, $5, $6, $7::bigint[], $8::bigint[], $9::text[], $10::cidr[], $11::text[]) RETURNING id::int AS id`,
      [input.title, input.detectedAt, input.openedBy, input.alertId, scope.from, scope.to, scope.professionals, scope.sites, scope.clients, scope.networks, scope.devices],
    ),
  );
  const id = found.rows[0]?.id;
  if (id === undefined) throw new Error('incident non créé');
  return id;
}

/**
 * Opens an incident on a shield alert: its accounts, from `lookbackDays` before the alert
 * to `until`; detected when the alert was raised.
 */
export async function openIncidentFromAlert(db: Database, alertId: number, openedBy: string, until: Date, lookbackDays = ALERT_LOOKBACK_DAYS): Promise<number> {
  const alert = (
    await db.transaction('platform', (tx) =>
      tx.query<{ at: Date; accounts: string[]; summary: string }>('SELECT at, accounts::text[] AS accounts, summary FROM shield_alert WHERE id = $1', [alertId]),
    )
  ).rows[0];
  if (!alert) throw new RempartError('INCIDENT_SCOPE_INVALID', `alerte ${alertId} inconnue`);
  const at = new Date(alert.at);
  return openIncident(db, {
    title: `Alerte ${alertId} : ${alert.summary}`.slice(0, 200),
    detectedAt: at,
    openedBy,
    alertId,
    scope: { from: new Date(at.getTime() - lookbackDays * DAY_MS), to: until, professionals: alert.accounts.map(Number), sites: [], clients: [], networks: [], devices: [] },
  });
}

export async function incidentSummary(tx: Tx, id: number): Promise<IncidentSummary> {
  const row = (await tx.query<{ id: number; title: string; detected_at: Date }>('SELECT id::int AS id, title, detected_at FROM incident WHERE id = $1', [id])).rows[0];
  if (!row) throw new RempartError('INCIDENT_UNKNOWN', `incident ${id}`);
  const detectedAt = new Date(row.detected_at);
  return { id: row.id, title: row.title, detectedAt, notifyBy: notifyByOf(detectedAt) };
}

/** When the notifications to the CNIL are due: NOTIFICATION_HOURS after detection. */
export const notifyByOf = (detectedAt: Date): Date => new Date(detectedAt.getTime() + NOTIFICATION_HOURS * HOUR_MS);

/** A scope as people name it: directory numbers (RPPS, FINESS or SIRET) instead of internal ids. */
export interface DirectoryScope {
  from: Date;
  to: Date;
  rpps: readonly string[];
  /** FINESS or SIRET. */
  sites: readonly string[];
  clients: readonly string[];
  networks: readonly string[];
  devices: readonly string[];
}

/** The scope of internal ids; an unknown number is an error, not a silent gap in the scope. */
export async function scopeFromDirectory(db: Database, scope: DirectoryScope): Promise<IncidentScope> {
  return {
    from: scope.from,
    to: scope.to,
    professionals: await idsOf(db, 'SELECT id::int AS id, rpps AS key FROM professional WHERE rpps = ANY($1)', scope.rpps),
    sites: await idsOf(db, 'SELECT id::int AS id, coalesce(finess, siret) AS key FROM site WHERE finess = ANY($1) OR siret = ANY($1)', scope.sites),
    clients: [...scope.clients],
    networks: [...scope.networks],
    devices: [...scope.devices],
  };
}

async function idsOf(db: Database, sql: string, keys: readonly string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const found = await db.transaction('platform', (tx) => tx.query<{ id: number; key: string }>(sql, [keys]));
  const unknown = keys.filter((key) => !found.rows.some((row) => row.key === key));
  if (unknown.length > 0) throw new RempartError('INCIDENT_SCOPE_INVALID', `inconnu(s) de l’annuaire : ${unknown.join(', ')}`);
  return found.rows.map((row) => row.id);
}
