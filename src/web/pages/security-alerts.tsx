import type { FastifyInstance } from 'fastify';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';

/**
 * The security console's first page: the shield's alerts and how many came each day. The
 * page is an empty frame; its script (src/web/browser/security-alerts.ts) reads the alerts
 * through the JSON API, as any software would, and acknowledges them there.
 */
export function securityAlertsRoute(app: FastifyInstance, options: { assets: Assets; now: () => Date }): void {
  app.get('/securite', { config: { page: true } }, (request, reply) =>
    reply.header('cache-control', 'no-store').html(
      <Layout title="Alertes de sécurité" shell={shellOf(request, options.assets)} scripts={['security-alerts.js']}>
        <h1>Alertes de sécurité</h1>
        <p class="note">Les alertes du bouclier : comptes suspendus, signaux d’ensemble de la plateforme. Les alertes ouvertes d’abord, puis des plus récentes aux plus anciennes.</p>
        {/* The days are the platform's, not the browser's: its clock may be another. */}
        <figure class="panel" id="alerts-chart" data-now={options.now().toISOString()}>
          <figcaption>Alertes par jour, sur les quatorze derniers jours</figcaption>
        </figure>
        <p id="alerts-status" role="status"></p>
        <table id="alerts">
          <caption class="sr-only">Alertes du bouclier</caption>
          <thead>
            <tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Résumé</th><th scope="col">Comptes concernés</th><th scope="col">État</th></tr>
          </thead>
          <tbody><tr><td colspan="5">Chargement…</td></tr></tbody>
        </table>
      </Layout>,
    ),
  );
}
