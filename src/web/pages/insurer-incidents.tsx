import type { FastifyInstance } from 'fastify';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { DataTable } from './insurer-parts.js';

/**
 * The incidents that concern the insurer (/organisme/incidents): each with the 72-hour
 * clock, then the chosen one's lines, the insurer's own only, and its inclusion proofs to
 * download. A frame; src/web/browser/insurer-incidents.ts reads /api/v1/insurer/incidents.
 */
export function insurerIncidentsPageRoute(app: FastifyInstance, options: { assets: Assets }): void {
  app.get('/organisme/incidents', { config: { page: true } }, (request, reply) =>
    reply.header('cache-control', 'no-store').html(
      <Layout title="Incidents" shell={shellOf(request, options.assets)} scripts={['insurer-incidents.js']}>
        <h1>Incidents qui concernent vos adhérents</h1>
        <p class="note">
          Quand un compte, un logiciel ou un poste a pu être entre de mauvaises mains, l’équipe de sécurité de la plateforme fige la liste exacte des personnes dont les données ont été lues.
          Vous n’en voyez que vos adhérents. La notification à la CNIL est due 72 heures après la détection ; les numéros d’adhérents vous sont remis par l’opérateur une fois l’export approuvé par deux responsables de la sécurité.
        </p>
        <p id="incidents-status" role="status"></p>
        <DataTable
          id="incidents"
          caption="De la détection la plus récente à la plus ancienne ; vos adhérents et leurs accès, au dernier instantané figé"
          columns={['Incident', 'Détecté le', 'Notifier avant', 'Temps restant', 'Adhérents exposés', 'Accès', 'Détail']}
          numeric={['Adhérents exposés', 'Accès']}
        />
        <section id="incident" aria-labelledby="incident-title" hidden>
          <h2 id="incident-title" tabindex="-1"></h2>
          <p id="incident-clock"></p>
          <div id="snapshots"></div>
        </section>
      </Layout>,
    ),
  );
}
