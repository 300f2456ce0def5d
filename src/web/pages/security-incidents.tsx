import type { FastifyInstance } from 'fastify';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { Field } from './fields.js';

/** An optional field: the API decides what is missing (a scope must name at least one thing). */
function Optional({ label, name, placeholder }: { label: string; name: string; placeholder?: string }): JSX.Element {
  return (
    <label>
      <span safe>{label}</span>
      <input name={name} placeholder={placeholder} />
    </label>
  );
}

/**
 * The security console's incidents: the access log's last verification and its witnesses,
 * the form to open an incident by hand (an alert's is opened from the alerts page), and the
 * incidents with their 72-hour clock. A frame; src/web/browser/security-incidents.ts fills
 * it from the JSON API.
 */
export function securityIncidentsRoute(app: FastifyInstance, options: { assets: Assets }): void {
  app.get('/securite/incidents', { config: { page: true } }, (request, reply) =>
    reply.header('cache-control', 'no-store').html(
      <Layout title="Incidents" shell={shellOf(request, options.assets)} scripts={['security-incidents.js']}>
        <p><a href="/securite">← Alertes de sécurité</a></p>
        <h1>Incidents</h1>
        <section class="panel" aria-labelledby="log-title">
          <h2 id="log-title">Journal d’accès et témoins</h2>
          <p id="log-status" role="status">Chargement…</p>
          <table id="witnesses">
            <caption>Témoins lus par la dernière vérification : chacun garde hors de la base les têtes d’arbre signées qu’on lui a remises.</caption>
            <thead><tr><th scope="col">Témoin</th><th scope="col">Têtes signées gardées</th><th scope="col">Jusqu’à (accès)</th><th scope="col">État</th></tr></thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="list-title">
          <h2 id="list-title">Incidents ouverts</h2>
          <p class="note">Du plus récent au plus ancien. Les notifications à la CNIL sont dues 72 heures après la détection (RGPD, art. 33).</p>
          <table id="incidents">
            <caption class="sr-only">Incidents et échéance de notification</caption>
            <thead><tr><th scope="col">Incident</th><th scope="col">Détecté le</th><th scope="col">Notifier avant</th><th scope="col">Personnes exposées</th></tr></thead>
            <tbody><tr><td colspan="4">Chargement…</td></tr></tbody>
          </table>
        </section>
        <section class="panel" aria-labelledby="open-title">
          <h2 id="open-title">Ouvrir un incident à la main</h2>
          <p class="note">Nommez ce qu’un attaquant a pu tenir : au moins un compte, un site, un réseau ou un logiciel, séparés par des espaces. Pour une alerte du bouclier, utilisez « Ouvrir un incident » sur la page des alertes.</p>
          <form id="open-incident">
            <div class="fields">
              <Field label="Titre" name="titre" />
              <label><span>Début de la période (UTC)</span><input type="date" name="debut" required /></label>
              <Optional label="Comptes (RPPS)" name="rpps" placeholder="10001234567" />
              <Optional label="Sites (FINESS ou SIRET)" name="sites" />
              <Optional label="Réseaux" name="reseaux" placeholder="203.0.113.0/24" />
              <Optional label="Logiciels (identifiant client)" name="logiciels" />
            </div>
            <button type="submit">Ouvrir l’incident</button>
          </form>
          <p id="open-status" role="status"></p>
        </section>
      </Layout>,
    ),
  );
}
