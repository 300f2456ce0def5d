import type { FastifyInstance } from 'fastify';
import { todayUtc } from '../../domain/dates.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { DataTable, PeriodForm } from './insurer-parts.js';

/**
 * What the insurer funds (/organisme/financement): per payment day of a period, its paid
 * invoices, the overpayments recovered and the amount to fund; the month's statement as CSV.
 * A frame; src/web/browser/insurer-funding.ts reads /api/v1/insurer/funding.
 */
export function insurerFundingPageRoute(app: FastifyInstance, options: { assets: Assets; now: () => Date }): void {
  app.get('/organisme/financement', { config: { page: true } }, (request, reply) => {
    const today = todayUtc(options.now());
    const month = today.slice(0, 7);
    return reply.header('cache-control', 'no-store').html(
      <Layout title="Financement" shell={shellOf(request, options.assets)} scripts={['insurer-funding.js']}>
        <h1>Financement</h1>
        <p class="note">Ce que votre organisme finance de chaque paiement de la plateforme aux structures de soins : ses factures payées ce jour-là, moins ses indus récupérés sur les virements.</p>
        <PeriodForm id="period" title="Jours de paiement" today={today} />
        <p id="funding-status" role="status"></p>
        <DataTable
          id="funding"
          caption="Un relevé par jour de paiement ; un montant à financer négatif quand les indus dépassent les factures"
          columns={['Jour', 'Factures', 'Montant des factures', 'Indus récupérés', 'Montant récupéré', 'À financer']}
          numeric={['Factures', 'Montant des factures', 'Indus récupérés', 'Montant récupéré', 'À financer']}
        />
        <form id="statement" class="panel" aria-labelledby="statement-title">
          <h2 id="statement-title">Relevé mensuel</h2>
          <p class="note">Les relevés des jours de paiement du mois, puis son total : CSV séparé par des points-virgules, montants en centimes.</p>
          <div class="fields"><label><span>Mois</span><input name="mois" type="month" value={month} required /></label></div>
          <p><a id="statement-link" href={`/api/v1/insurer/funding/${month}.csv`} download="">Télécharger le relevé du mois (CSV)</a></p>
        </form>
      </Layout>,
    );
  });
}
