import type { FastifyRequest } from 'fastify';
import { recordEnrolment } from '../../access/enrolments.js';
import { administeredSite } from '../../access/sites.js';
import { provedFrom } from '../../access/people/sessions.js';
import type { Database } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { maskIban, parseBankAccount } from '../../domain/payments/bank-account.js';
import { alertNewPlace, fromNewPlace } from './new-place.js';
import { cancel, confirm, notifyAdmins, propose } from './store.js';

export interface ChangeOptions {
  db: Database;
  now: () => Date;
  /** How long after its confirmation a new account takes effect (a site's first: at once). */
  delayMs: number;
}

/**
 * The site a change is for: a structure among those a site administrator holds (another is
 * SITE_UNKNOWN, a refusal recorded like the others), or a site the operator names by id.
 */
export type SiteRef = { structure: string; adminSites: readonly number[] } | { siteId: number };

const siteLabel = (site: SiteRef): string => ('structure' in site ? `structure ${site.structure}` : `site ${site.siteId}`);
const siteIdOf = (db: Database, site: SiteRef): Promise<number> => ('structure' in site ? administeredSite(db, site.adminSites, site.structure) : Promise.resolve(site.siteId));

/** The professional or staff member acting, as the log names them and as the database keys them. */
export interface Actor {
  label: string;
  by: { professional: number } | { staff: number };
}

/**
 * Runs a change and records it in the authentication log with its device and network: a
 * success, or the refusal with its code (the security console and the actor's /moi read
 * both). Nothing of a refused change is written but that record.
 */
async function recorded<T>(db: Database, request: FastifyRequest, actor: string, what: string, change: () => Promise<T>): Promise<T> {
  try {
    const result = await change();
    await recordEnrolment(db, request, actor, what);
    return result;
  } catch (error) {
    if (error instanceof RempartError) await recordEnrolment(db, request, actor, `refusé : ${what} (${error.code})`, {}, 'failure');
    throw error;
  }
}

const hours = (ms: number): string => `${Math.round(ms / 3_600_000)} h`;

/**
 * A proposal: the account checked, then written with the announcement to every
 * administrator in one transaction. From a device or a network new to the proposer, only
 * the operator may confirm it, and the shield's alert is raised in that same transaction.
 */
export async function proposeChange(
  options: ChangeOptions, request: FastifyRequest, who: { id: number; rpps: string; sessionRef: string }, site: SiteRef, body: { iban: string; bic: string; titulaire: string },
): Promise<{ version: number; operatorOnly: boolean }> {
  const actor = `RPPS ${who.rpps}`;
  return recorded(options.db, request, actor, `proposition de compte bancaire, ${siteLabel(site)}`, async () => {
    const siteId = await siteIdOf(options.db, site);
    const parsed = parseBankAccount({ iban: body.iban, bic: body.bic, holder: body.titulaire });
    if (!parsed.ok) throw new RempartError(parsed.error.code, parsed.error.reason);
    const account = parsed.value;
    const at = options.now();
    const here = provedFrom(request);
    const operatorOnly = await fromNewPlace(options.db, who.id, who.sessionRef, here, at);
    const version = await options.db.transaction('platform', async (tx) => {
      const made = await propose(tx, siteId, account, who.id, at, here, operatorOnly);
      if (made === undefined) throw new RempartError('BANK_CHANGE_PENDING');
      const confirmer = operatorOnly ? 'de l’opérateur (appareil ou réseau nouveau)' : 'd’un autre administrateur ou de l’opérateur';
      await notifyAdmins(tx, siteId, at,
        `Nouveau compte bancaire proposé par ${actor} : IBAN ${maskIban(account.iban)}, BIC ${account.bic}, titulaire ${account.holder}. ` +
        `Il prendra effet ${hours(options.delayMs)} après la confirmation ${confirmer} (dès elle pour un premier compte). Tout administrateur peut l’annuler d’ici là.`);
      if (operatorOnly) await alertNewPlace(tx, who, siteId, made, here, at);
      return made;
    });
    return { version, operatorOnly };
  });
}

const confirmRefusals = { none: 'BANK_CHANGE_UNKNOWN', own: 'BANK_CHANGE_OWN', operator_only: 'BANK_CHANGE_OPERATOR_ONLY' } as const;

/** The second confirmation, by a co-administrator or the operator's staff; the delay starts now. */
export async function confirmChange(options: ChangeOptions, request: FastifyRequest, actor: Actor, site: SiteRef): Promise<{ version: number; effectiveFrom: Date }> {
  return recorded(options.db, request, actor.label, `confirmation de compte bancaire, ${siteLabel(site)}`, async () => {
    const siteId = await siteIdOf(options.db, site);
    return options.db.transaction('platform', async (tx) => {
      const at = options.now();
      const done = await confirm(tx, siteId, actor.by, at, options.delayMs);
      if (done.outcome !== 'confirmed') throw new RempartError(confirmRefusals[done.outcome]);
      await notifyAdmins(tx, siteId, at,
        `Changement de compte bancaire (version ${done.version}) confirmé par ${actor.label} : effectif le ${done.effectiveFrom.toISOString()} (UTC). Tout administrateur peut l’annuler d’ici là.`);
      return { version: done.version, effectiveFrom: done.effectiveFrom };
    });
  });
}

/** Any administrator of the site stops the pending change, confirmed or not, before it takes effect. */
export async function cancelChange(options: ChangeOptions, request: FastifyRequest, who: { id: number; rpps: string }, site: SiteRef): Promise<number> {
  const actor = `RPPS ${who.rpps}`;
  return recorded(options.db, request, actor, `annulation de changement de compte bancaire, ${siteLabel(site)}`, async () => {
    const siteId = await siteIdOf(options.db, site);
    return options.db.transaction('platform', async (tx) => {
      const at = options.now();
      const version = await cancel(tx, siteId, who.id, at);
      if (version === undefined) throw new RempartError('BANK_CHANGE_UNKNOWN');
      await notifyAdmins(tx, siteId, at, `Changement de compte bancaire (version ${version}) annulé par ${actor}.`);
      return version;
    });
  });
}
