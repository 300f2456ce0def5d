import type { FastifyInstance } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { Field } from './fields.js';


/**
 * One account as the security officer sees it: its signals against its thresholds, its
 * suspensions (suspend, restore with a second officer) and its history. An empty frame
 * named by the RPPS; src/web/browser/security-account.ts fills it from the JSON API.
 */
export function securityAccountRoute(app: FastifyInstance, options: { assets: Assets }): void {
  app.get<{ Params: { rpps: string } }>('/securite/comptes/:rpps', { config: { page: true } }, (request, reply) => {
    // Not a schema: its refusal would read as a validator's English; a mistyped address is a page not found.
    if (!/^[0-9]{11}$/.test(request.params.rpps)) throw new RempartError('NOT_FOUND');
    return reply.header('cache-control', 'no-store').html(
      <Layout title={`Compte ${request.params.rpps}`} shell={shellOf(request, options.assets)} scripts={['security-account.js']}>
        <p><a href="/securite">← Alertes de sécurité</a></p>
        <h1 id="account" data-rpps={request.params.rpps} safe>Compte RPPS {request.params.rpps}</h1>
        <section class="panel" aria-labelledby="signals-title">
          <h2 id="signals-title">Signaux du compte</h2>
          <p id="signals-level" role="status"></p>
          <figure id="signals-chart">
            <figcaption>Mesures du bouclier à l’instant, face aux seuils de confirmation d’identité (trait vertical)</figcaption>
          </figure>
        </section>
        <section class="panel" aria-labelledby="suspend-title">
          <h2 id="suspend-title">Suspendre le compte</h2>
          <p class="note">Les sessions du compte sont révoquées et aucun logiciel ne peut plus agir en son nom. Seul un autre responsable pourra le rétablir.</p>
          <form id="suspend">
            <div class="fields"><Field label="Motif de la suspension" name="motif" /></div>
            <button type="submit">Suspendre</button>
          </form>
        </section>
        <section aria-labelledby="suspensions-title">
          <h2 id="suspensions-title">Suspensions en cours</h2>
          <table id="suspensions">
            <thead><tr><th scope="col">Depuis</th><th scope="col">Par</th><th scope="col">Motif</th><th scope="col">Rétablir</th></tr></thead>
            <tbody></tbody>
          </table>
          <p id="suspension-status" role="status"></p>
          <p hidden id="step-up-offer"><button type="button" id="step-up" class="quiet">Confirmer mon identité avec ma clé d’accès</button></p>
        </section>
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">Historique</h2>
          <table id="timeline">
            <thead><tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Résumé</th></tr></thead>
            <tbody></tbody>
          </table>
        </section>
      </Layout>,
    );
  });
}
