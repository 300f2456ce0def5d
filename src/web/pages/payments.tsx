import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../access/access-policy.js';
import { practitionerOn, type PracticeSite } from '../../access/sites.js';
import type { Database } from '../../db/database.js';
import { addDays, todayUtc } from '../../domain/dates.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf, type Shell } from '../shell/shell.js';
import { SiteChoice } from './fields.js';

/** How far back the list starts by default: a month of payment days, the person can go further. */
const DEFAULT_DAYS_BACK = 30;

/**
 * A professional's payments received (/paiements): the site's transfers over a period and,
 * for one of them, the remittance with each invoice it paid. Read by the page's script
 * (src/web/browser/payments.ts) from GET /api/v1/payments, as the practice software reads them.
 */
export function paymentsRoute(app: FastifyInstance, options: { db: Database; now: () => Date; assets: Assets }): void {
  app.get('/paiements', { config: { page: true } }, async (request, reply) => {
    const { professional } = contextOf(request, 'professional');
    const today = todayUtc(options.now());
    const practitioner = await practitionerOn(options.db, professional.id, today);
    return reply.header('cache-control', 'no-store').html(
      <PaymentsPage shell={shellOf(request, options.assets)} sites={practitioner.sites} rpps={professional.rpps} since={addDays(today, -DEFAULT_DAYS_BACK)} today={today} />,
    );
  });
}

interface PaymentsProps { shell: Shell; sites: PracticeSite[]; rpps: string; since: string; today: string }

export function PaymentsPage(props: PaymentsProps): JSX.Element {
  return (
    <Layout title="Paiements reçus" shell={props.shell} scripts={['payments.js']}>
      <h1>Paiements reçus</h1>
      <SiteChoice sites={props.sites} rpps={props.rpps} />
      <form id="period" class="panel" aria-labelledby="period-title">
        <h2 id="period-title">Période</h2>
        <div class="fields">
          <label><span>Du</span><input name="du" type="date" value={props.since} required /></label>
          <label><span>Au</span><input name="au" type="date" value={props.today} required /></label>
        </div>
        <button type="submit">Afficher les virements</button>
      </form>
      <section aria-labelledby="transfers-title">
        <h2 id="transfers-title">Virements</h2>
        <p id="transfers-status" class="answer" role="status" aria-live="polite"></p>
        <table id="transfers">
          <caption class="note">Du plus récent au plus ancien. Un virement réunit les factures de tous les organismes payées le même jour sur le même compte.</caption>
          <thead>
            <tr>
              <th scope="col">Jour</th><th scope="col">Référence</th><th scope="col">Compte</th><th scope="col">État</th>
              <th scope="col" class="n">Factures</th><th scope="col" class="n">Payé pour elles</th><th scope="col" class="n">Indus repris</th><th scope="col" class="n">Virement</th><th scope="col">Détail</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </section>
      <section id="remittance" aria-labelledby="remittance-title" hidden>
        <h2 id="remittance-title" tabindex="-1">Relevé du virement <span id="remittance-reference"></span></h2>
        <p id="remittance-label" class="note"></p>
        <table id="remittance-invoices">
          <caption class="note">Chaque facture payée, dans l’ordre des numéros de la plateforme : rapprochez-les des factures de votre logiciel.</caption>
          <thead>
            <tr><th scope="col">Facture (plateforme)</th><th scope="col">Lot</th><th scope="col">Votre numéro</th><th scope="col" class="n">Demandé</th><th scope="col" class="n">Payé</th></tr>
          </thead>
          <tbody></tbody>
        </table>
        <table id="remittance-recoveries">
          <caption class="note">Les indus repris par ce virement : des factures déjà payées puis annulées.</caption>
          <thead><tr><th scope="col">Facture annulée</th><th scope="col" class="n">Montant repris</th></tr></thead>
          <tbody></tbody>
        </table>
      </section>
    </Layout>
  );
}
