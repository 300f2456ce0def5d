import type { FastifyInstance } from 'fastify';
import { todayUtc } from '../../domain/dates.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { DataTable, PeriodForm } from './insurer-parts.js';

/**
 * The insurer's invoices (/organisme/factures): those held for its review, and over a period of decision days, its
 * rejections by reason, what it owes per day, its members' invoices page by page and the
 * CSV export. A frame; src/web/browser/insurer-invoices.ts reads /api/v1/insurer/invoices….
 */
export function insurerInvoicesPageRoute(app: FastifyInstance, options: { assets: Assets; now: () => Date }): void {
  app.get('/organisme/factures', { config: { page: true } }, (request, reply) => {
    const today = todayUtc(options.now());
    return reply.header('cache-control', 'no-store').html(
      <Layout title="Factures de l’organisme" shell={shellOf(request, options.assets)} scripts={['insurer-invoices.js']}>
        <h1>Factures de l’organisme</h1>
        <p class="note">Les factures de vos adhérents, décidées par la plateforme : aucune ne nomme le bénéficiaire, leur examen et leur paiement n’en ont pas besoin.</p>
        <section aria-labelledby="held-title">
          <h2 id="held-title">En attente de votre examen</h2>
          <p class="note">Doublons possibles d’une facture déjà reçue (même bénéficiaire, même date de soins, même acte, même structure, autre numéro) : rien n’est payé avant votre décision. « Payer » la décide avec les plafonds tels qu’ils sont ; « Rejeter » la rejette comme doublon. Une fois, avec un motif.</p>
          <p id="held-status" class="answer" role="status"></p>
          <DataTable
            id="held"
            caption="Les plus anciennes d’abord"
            columns={['Reçue le', 'Numéro', 'Doublon de', 'Structure', 'RPPS', 'Date des soins', 'Demandé', 'Décision']}
            numeric={['Demandé']}
          />
        </section>
        <PeriodForm id="period" title="Période de décision" today={today} />
        <p id="invoices-status" role="status"></p>
        <p><a id="export" href="/api/v1/insurer/invoices/export.csv" download="">Télécharger les factures de la période (CSV)</a></p>
        <section aria-labelledby="rejections-title">
          <h2 id="rejections-title">Rejets et réductions par motif</h2>
          <figure id="rejections-chart"><figcaption>Factures rejetées ou réduites, par motif</figcaption></figure>
          <DataTable
            id="rejections"
            caption="Du plus gros montant non payé au plus petit ; montants de la part complémentaire"
            columns={['Motif', 'Catégorie', 'Rejetées', 'Réduites', 'Demandé', 'Non payé']}
            numeric={['Rejetées', 'Réduites', 'Demandé', 'Non payé']}
          />
        </section>
        <section aria-labelledby="due-title">
          <h2 id="due-title">À financer par jour de décision</h2>
          <DataTable id="due" caption="Parts payées des factures payées ou payées partiellement, par jour (UTC)" columns={['Jour', 'Factures', 'À financer']} numeric={['Factures', 'À financer']} />
        </section>
        <section aria-labelledby="list-title">
          <h2 id="list-title">Factures</h2>
          <DataTable
            id="invoices"
            caption="De la plus récente à la plus ancienne ; « Plus » ajoute les suivantes"
            columns={['Décidée le', 'Numéro', 'Structure', 'RPPS', 'Date des soins', 'Statut', 'Demandé', 'Payé', 'Motif']}
            numeric={['Demandé', 'Payé']}
          />
          <p><button id="invoices-more" type="button" class="quiet" hidden>Plus</button></p>
        </section>
      </Layout>,
    );
  });
}
