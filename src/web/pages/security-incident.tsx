import type { FastifyInstance } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { Field } from './fields.js';

/**
 * One incident: its scope, the 72-hour clock, the freeze of the exposed set and what each
 * insurer's people were exposed to, and the four-eyes export of member numbers (a request,
 * another officer's approval, each after a fresh step-up). A frame named by the incident's
 * number; src/web/browser/security-incident.ts fills it from the JSON API.
 */
export function securityIncidentRoute(app: FastifyInstance, options: { assets: Assets }): void {
  app.get<{ Params: { incidentId: string } }>('/securite/incidents/:incidentId', { config: { page: true } }, (request, reply) => {
    // Not a schema: its refusal would read as a validator's English; a mistyped address is a page not found.
    if (!/^[1-9][0-9]{0,14}$/.test(request.params.incidentId)) throw new RempartError('NOT_FOUND');
    return reply.header('cache-control', 'no-store').html(
      <Layout title={`Incident ${request.params.incidentId}`} shell={shellOf(request, options.assets)} scripts={['security-incident.js']}>
        <p><a href="/securite/incidents">← Incidents</a></p>
        <h1 id="incident" data-incident={request.params.incidentId} safe>Incident {request.params.incidentId}</h1>
        <section class="panel clock" aria-labelledby="clock-title">
          <h2 id="clock-title">Notification à la CNIL</h2>
          <p id="clock" class="countdown" role="status" aria-live="off">Chargement…</p>
          <p id="clock-detail" class="note"></p>
        </section>
        <section aria-labelledby="scope-title">
          <h2 id="scope-title">Périmètre</h2>
          <dl id="scope" class="facts"></dl>
        </section>
        <section class="panel" aria-labelledby="freeze-title">
          <h2 id="freeze-title">Ensemble exposé</h2>
          <p class="note">Figer calcule, depuis le journal d’accès signé, exactement qui a été vu dans le périmètre, et le garde tel quel : personne ne pourra le réduire ensuite. Figez de nouveau si des accès restaient à signer.</p>
          <button type="button" id="freeze">Figer l’exposition</button>
          <p id="freeze-status" role="status"></p>
          <div id="snapshots"></div>
        </section>
        <section class="panel" aria-labelledby="export-title">
          <h2 id="export-title">Adhérents à notifier (quatre yeux)</h2>
          <p class="note">Les numéros d’adhérent ne sortent qu’avec l’accord de deux responsables de la sécurité : l’un demande, un autre approuve, chacun après une confirmation d’identité de moins de cinq minutes. Chaque approbation est inscrite au journal d’accès.</p>
          <form id="request-export" hidden>
            <div class="fields"><Field label="Motif de la demande" name="motif" /></div>
            <button type="submit">Demander l’export</button>
          </form>
          <table id="exports">
            <caption class="sr-only">Demandes d’export et leurs approbations</caption>
            <thead><tr><th scope="col">Demande</th><th scope="col">Motif</th><th scope="col">Approbations</th><th scope="col">État</th></tr></thead>
            <tbody></tbody>
          </table>
          <p id="export-status" role="status"></p>
          <p hidden id="step-up-offer"><button type="button" id="step-up" class="quiet">Confirmer mon identité avec ma clé d’accès</button></p>
          <div id="package" hidden>
            <h3>Le dossier de notification</h3>
            <p>Les documents de chaque organisme, sans aucun adhérent, se téléchargent ici :</p>
            <ul id="package-documents"></ul>
            <p>Le fichier des adhérents à notifier (numéros d’adhérent, dates de naissance) ne passe pas par le navigateur : sur le poste de la console, cette commande écrit le dossier complet de chaque organisme (Markdown et PDF, preuves d’inclusion) :</p>
            <pre><code id="package-command"></code></pre>
          </div>
        </section>
      </Layout>,
    );
  });
}
