import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { todayUtc } from '../domain/dates.js';
import { contextOf } from '../access/access-policy.js';
import { careScript } from './care-script.js';
import { escapeHtml, page } from '../http/html.js';

const field = (label: string, name: string, attributes = ''): string => `<label>${label} <input name="${name}" ${attributes} required></label><br>`;

/** The API's `dispositif` values (claims/coverage-request.ts), none by default. */
const deviceOptions = [
  ['', '—'], ['monture', 'Monture'], ['verre_simple', 'Verre simple'], ['verre_complexe', 'Verre complexe'],
  ['verre_tres_complexe', 'Verre très complexe'], ['aide_auditive', 'Aide auditive'], ['autre', 'Autre (lentilles, piles…)'],
].map(([value, label]) => `<option value="${value}">${label}</option>`).join('');

/**
 * A professional's minimal care page: check a patient's rights from their cards, then
 * compute the AMC part of a line under the engagement. Both go through the JSON API.
 */
export function carePage(app: FastifyInstance, db: Database, now: () => Date): void {
  app.get('/static/soins.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(careScript));
  app.get('/soins', async (request, reply) => {
    const { professional } = contextOf(request, 'professional');
    const sites = await db.transaction('platform', (tx) =>
      tx.query<{ structure: string; name: string }>(
        `SELECT coalesce(s.finess, s.siret) AS structure, s.name FROM activity a JOIN site s ON s.id = a.site_id
          WHERE a.professional_id = $1 AND active_on(a.started_on, a.ended_on, $2::date) ORDER BY s.name`,
        [professional.id, todayUtc(now())],
      ),
    );
    const options = sites.rows.map((s) => `<option value="${escapeHtml(s.structure)}">${escapeHtml(s.name)} (${escapeHtml(s.structure)})</option>`).join('');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(
      page(
        'Soins',
        `<h1>Droits et calcul</h1>
<form id="rights"><h2>Identification des droits</h2>
<label>Structure <select name="structure">${options}</select></label><br>
${field('Numéro AMC', 'amc', 'inputmode="numeric"')}${field('Numéro d’adhérent', 'adherent')}${field('NIR (avec la clé)', 'nir')}
${field('Date de naissance', 'naissance', 'placeholder="AAAA-MM-JJ"')}${field('Rang de naissance', 'rang', 'value="1"')}
${field('Date des soins', 'dateSoins', `value="${todayUtc(now())}"`)}<button type="submit">Vérifier les droits</button></form>
<div id="rights-answer" aria-live="polite"></div>
<form id="calculation"><h2>Calcul de la part complémentaire</h2>
${field('Engagement', 'engagement', 'id="engagement"')}${field('Acte', 'acte', 'value="G"')}${field('Domaine', 'domaine', 'value="MED"')}
${field('Quantité', 'quantite', 'value="1"')}${field('Prix (€)', 'prix', 'value="30,00"')}${field('Base de remboursement (€)', 'base', 'value="30,00"')}
${field('Taux AMO (%)', 'tauxAmo', 'value="70"')}${field('Participation forfaitaire (€)', 'pf', 'value="2,00"')}
<label><input type="checkbox" name="optam"> Médecin adhérent OPTAM ou OPTAM-CO</label><br>
<label>Dispositif (optique, audioprothèse hors 100 % Santé) <select name="dispositif">${deviceOptions}</select></label><br>
<button type="submit">Calculer</button></form>
<div id="calculation-answer" aria-live="polite"></div>
<p class="note">Chaque consultation est inscrite au journal d’accès, consultable par la personne concernée.</p>
<script src="/static/soins.js" defer></script>`,
      ),
    );
  });
}
