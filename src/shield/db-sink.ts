import { setClientStatus } from '../access/clients.js';
import { SHIELD_ACTOR, suspendAccount } from '../access/suspensions.js';
import type { Database, Queryable } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import type { Alert, Cause, Decision, ShieldSink } from './decisions.js';

/** Each cause as the security team reads it. */
export const causeLabels: Readonly<Record<Cause, string>> = {
  signals: 'activité au-delà des seuils du compte',
  honeytoken: 'bénéficiaire leurre consulté',
  refused_step_up: 'confirmation d’identité non faite',
  session_moved: 'session utilisée depuis un autre réseau et un autre appareil',
  dormant: 'compte inutilisé depuis longtemps',
  platform_alert: 'alerte de la plateforme',
  repeated_step_up: 'confirmations d’identité répétées le même jour',
  client_budget: 'logiciel au-delà du budget de ses clés',
};

/**
 * The server's sink: decisions and alerts as rows (shield_decision, shield_alert), a
 * suspension through the same door as an officer's (src/access/suspensions.ts), so that it
 * revokes the account's sessions at once and the access layer refuses its software.
 * Nothing is swallowed: a suspension that could not be written fails the request that
 * caused it, rather than let the account go on.
 */
export class DbShieldSink implements ShieldSink {
  constructor(private readonly db: Database) {}

  async decision(decision: Decision): Promise<void> {
    await this.db.transaction('platform', (tx) => insertDecision(tx, decision));
  }

  async suspend(decision: Decision, summary: string): Promise<void> {
    const found = await this.db.query<{ rpps: string }>('SELECT rpps FROM professional WHERE id = $1', [decision.professionalId]);
    const rpps = found.rows[0]?.rpps;
    if (rpps === undefined) throw new RempartError('ACCOUNT_UNKNOWN', `professionnel ${decision.professionalId}`);
    let suspension: number | null;
    try {
      suspension = await suspendAccount(this.db, { rpps }, `Bouclier (${causeLabels[decision.cause]}) : ${summary}`, SHIELD_ACTOR, decision.at);
    } catch (error) {
      // Already suspended (another instance, or an officer, was first): the decision is still recorded, without a second alert.
      if (!(error instanceof RempartError && error.code === 'ACCOUNT_ALREADY_SUSPENDED')) throw error;
      suspension = null;
    }
    await this.recordSuspension(decision, suspension === null ? null : `RPPS ${rpps} suspendu par le bouclier : ${summary}`, { suspension });
  }

  /** The software is suspended for every professional using it; they stay usable from their own software and pages. */
  async suspendClient(decision: Decision, summary: string): Promise<void> {
    const clientId = decision.clientId;
    if (clientId === null) throw new Error('suspendClient sans logiciel');
    const changed = await setClientStatus(this.db, clientId, 'suspended', `${SHIELD_ACTOR} : ${summary}`);
    // Already suspended (another instance was first): the decision is still recorded, without a second alert.
    await this.recordSuspension(decision, changed ? `Logiciel ${clientId} suspendu par le bouclier : ${summary}` : null, {});
  }

  /** The decision, and the account alert of a suspension that took effect (null summary: it did not, another was first). */
  private async recordSuspension(decision: Decision, summary: string | null, details: Record<string, unknown>): Promise<void> {
    await this.db.transaction('platform', async (tx) => {
      await insertDecision(tx, decision);
      if (summary === null) return;
      await insertAlert(tx, {
        at: decision.at,
        kind: 'account',
        professionalId: decision.professionalId,
        summary,
        accounts: [decision.professionalId],
        details: { ...details, cause: decision.cause, findings: decision.findings, signals: decision.signals, site: siteOf(decision), client: decision.clientId },
      });
    });
  }

  async alert(alert: Alert): Promise<void> {
    await this.db.transaction('platform', (tx) => insertAlert(tx, alert));
  }
}

/** The engine names an unknown site 0 (a platform alert tightening an account). */
function siteOf(decision: Decision): number | null {
  return decision.siteId > 0 ? decision.siteId : null;
}

async function insertDecision(tx: Queryable, decision: Decision): Promise<void> {
  await tx.query(
    `INSERT INTO shield_decision (at, professional_id, site_id, client_id, action, cause, findings, signals)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
    [
      decision.at,
      decision.professionalId,
      siteOf(decision),
      decision.clientId,
      decision.action,
      decision.cause,
      JSON.stringify(decision.findings),
      decision.signals === null ? null : JSON.stringify(decision.signals),
    ],
  );
}

/** An alert as a row, in the caller's transaction: for a writer whose change and alert stand or fall together. */
export async function insertAlert(tx: Queryable, alert: Alert): Promise<void> {
  await tx.query(
    `INSERT INTO shield_alert (at, kind, professional_id, summary, accounts, details) VALUES ($1, $2, $3, $4, $5::bigint[], $6::jsonb)`,
    [alert.at, alert.kind, alert.professionalId, alert.summary.slice(0, 2000), alert.accounts, JSON.stringify(alert.details)],
  );
}
