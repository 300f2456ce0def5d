import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../access/access-policy.js';
import { practitionerOn, type PracticeSite } from '../../access/sites.js';
import type { Database } from '../../db/database.js';
import { addDays, todayUtc } from '../../domain/dates.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf, type Shell } from '../shell/shell.js';
import { SiteChoice } from './fields.js';

/** How far back the feed starts by default: a month of returns, the person can go further. */
const DEFAULT_DAYS_BACK = 30;

/**
 * A professional's invoices (/factures): the site's returns from one insurer, read through
 * GET /api/v1/invoices/returns by the page's script (src/web/browser/invoices.ts), which also
 * cancels a paid invoice. The page itself holds no invoice: only the sites to choose from.
 */
export function invoicesRoute(app: FastifyInstance, options: { db: Database; now: () => Date; assets: Assets }): void {
  app.get('/factures', { config: { page: true } }, async (request, reply) => {
    const { professional } = contextOf(request, 'professional');
    const today = todayUtc(options.now());
    const practitioner = await practitionerOn(options.db, professional.id, today);
    return reply.header('cache-control', 'no-store').html(
      <InvoicesPage shell={shellOf(request, options.assets)} sites={practitioner.sites} rpps={professional.rpps} since={addDays(today, -DEFAULT_DAYS_BACK)} />,
    );
  });
}

interface InvoicesProps { shell: Shell; sites: PracticeSite[]; rpps: string; since: string }

export function InvoicesPage(props: InvoicesProps): JSX.Element {
  return (
    <Layout title="Factures et retours" shell={props.shell} scripts={['invoices.js']}>
      <h1>Factures et retours</h1>
      <SiteChoice sites={props.sites} rpps={props.rpps} />
      <form id="returns" class="panel" aria-labelledby="returns-title">
        <h2 id="returns-title">Retours d’un organisme</h2>
        <p class="note">Les retours ne se lisent qu’organisme par organisme : indiquez le numéro AMC inscrit sur la carte du patient.</p>
        <div class="fields">
          <label><span>Numéro AMC</span><input name="amc" inputmode="numeric" pattern="[0-9]{8,10}" required /></label>
          <label><span>Depuis le</span><input name="depuis" type="date" value={props.since} required /></label>
        </div>
        <button type="submit">Afficher les retours</button>
      </form>
      <ReturnsTable />
      <CancelDialog />
    </Layout>
  );
}

/** Empty until the script fills it, in the order the returns were written: a decision, then its cancellation if any. */
function ReturnsTable(): JSX.Element {
  return (
    <section aria-labelledby="feed-title">
      <h2 id="feed-title">Retours</h2>
      <div id="returns-status" class="answer" role="status" aria-live="polite"></div>
      <table id="returns-table" hidden>
        <caption class="note">Dans l’ordre où ils ont été écrits ; « Plus » ajoute les suivants.</caption>
        <thead>
          <tr>
            <th scope="col">Écrit le</th><th scope="col">Facture (votre numéro, puis celui de la plateforme)</th><th scope="col">Date des soins</th>
            <th scope="col">Statut</th><th scope="col" class="n">Demandé</th><th scope="col" class="n">Payé</th><th scope="col">Motif</th><th scope="col">Action</th>
          </tr>
        </thead>
        <tbody></tbody>
      </table>
      <p><button id="returns-more" type="button" class="quiet" hidden>Plus</button></p>
    </section>
  );
}

/** The confirmation asked before a cancellation: a native modal dialog, keyboard and screen-reader friendly, with an optional reason. */
function CancelDialog(): JSX.Element {
  return (
    <dialog id="cancel-dialog" aria-labelledby="cancel-title">
      <form id="cancel-form" method="dialog">
        <h2 id="cancel-title">Annuler la facture <span id="cancel-number"></span> ?</h2>
        <p>Ce qui a été versé pour elle sera repris sur un prochain paiement. L’annulation ne se défait pas.</p>
        <label><span>Motif (facultatif)</span><input name="motif" maxlength="500" /></label>
        <p class="actions">
          <button type="submit" value="annuler">Confirmer l’annulation</button>
          <button type="submit" value="garder" class="quiet">Garder la facture</button>
        </p>
      </form>
    </dialog>
  );
}
