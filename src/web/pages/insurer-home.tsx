import type { FastifyInstance } from 'fastify';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { DataTable } from './insurer-parts.js';

/**
 * The insurer console's home (/organisme): the files loaded for the agent's insurer, with
 * what each did line by line and the lines it rejected, and its member portals. An empty frame; its script
 * (src/web/browser/insurer-home.ts) reads GET /api/v1/insurer/loads and /portal-clients.
 */
export function insurerHomeRoute(app: FastifyInstance, options: { assets: Assets }): void {
  app.get('/organisme', { config: { page: true } }, (request, reply) =>
    reply.header('cache-control', 'no-store').html(
      <Layout title="Mon organisme" shell={shellOf(request, options.assets)} scripts={['insurer-home.js']}>
        <h1>Mon organisme</h1>
        <section aria-labelledby="loads-title">
          <h2 id="loads-title">Fichiers chargés</h2>
          <p class="note">Les 200 derniers fichiers (bénéficiaires, catalogue), du plus récent au plus ancien.</p>
          <p id="loads-status" role="status"></p>
          <DataTable
            id="loads"
            caption="Bilan de chaque fichier : lignes lues, appliquées, sans changement, rejetées ; radiations appliquées ou laissées en attente"
            columns={['Chargé le', 'Fichier', 'Type', 'Date du fichier', 'Lignes', 'Appliquées', 'Inchangées', 'Rejetées', 'Radiations', 'Radiations en attente']}
            numeric={['Lignes', 'Appliquées', 'Inchangées', 'Rejetées', 'Radiations', 'Radiations en attente']}
          />
        </section>
        <section aria-labelledby="rejects-title">
          <h2 id="rejects-title">Lignes rejetées</h2>
          <p class="note">Ce qu’il faut corriger dans chaque fichier, ligne par ligne (les cent premières ; le rapport CSV remis avec le chargement les donne toutes). La valeur rejetée n’est jamais reprise : elle peut être un NIR.</p>
          <div id="rejects"></div>
        </section>
        <section aria-labelledby="portals-title">
          <h2 id="portals-title">Portails adhérents</h2>
          <p class="note">Les logiciels de vos espaces adhérents qui lisent l’historique des accès de vos adhérents. L’opérateur les enregistre ; signalez-lui toute clé à retirer.</p>
          <DataTable id="portals" caption="Portails enregistrés pour votre organisme" columns={['Identifiant', 'Nom', 'Statut', 'Clés (kid)', 'Enregistré le']} />
        </section>
      </Layout>,
    ),
  );
}
