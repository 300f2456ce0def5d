import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { registryStatistics, type RegistryStatistics } from '../registry/statistics.js';
import { escapeHtml, page } from './html.js';

const loginBlock = `<p><a href="/auth/login">Se connecter avec Pro Santé Connect</a> (professionnels de santé et personnel des organismes ; aucun mot de passe)
 ou <button id="passkey-login" type="button">avec une clé d'accès</button> <span id="passkey-status"></span></p>
<script src="/static/passkeys.js" defer></script>`;

/** The home page: what this instance holds, in counts only. */
export function landingRoute(app: FastifyInstance, db: Database, canLogIn: boolean): void {
  app.get('/', async (_request, reply) => {
    const statistics = await registryStatistics(db);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderLanding(statistics, db.engine, canLogIn));
  });
}

export function renderLanding(statistics: RegistryStatistics, engine: string, canLogIn: boolean): string {
  const rows = statistics.insurers
    .map(
      (insurer) =>
        `<tr><td>${escapeHtml(insurer.name)}</td><td>${escapeHtml(insurer.amcNumber)}</td>` +
        `<td class="n">${insurer.products}</td><td class="n">${insurer.beneficiaries}</td><td class="n">${insurer.removed}</td></tr>`,
    )
    .join('\n');
  return page(
    'Accueil',
    `<h1>Rempart</h1>
<p>Plateforme de tiers payant pour les organismes complémentaires. Stockage : ${escapeHtml(engine)}.</p>
${canLogIn ? loginBlock : ''}
<h2>Registre</h2>
<table>
<thead><tr><th>Organisme</th><th>Numéro AMC</th><th>Produits</th><th>Bénéficiaires</th><th>Radiés</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="5">Aucun organisme chargé.</td></tr>'}
</tbody>
</table>
<p>Annuaire : ${statistics.professionals} professionnels, ${statistics.sites} structures, ${statistics.activities} activités.</p>
<p class="note">Données entièrement synthétiques. Les identités des bénéficiaires sont chiffrées par organisme ; cette page n'affiche que des effectifs.</p>`,
  );
}
