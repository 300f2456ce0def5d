import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { escapeHtml, page } from '../http/html.js';

const loginBlock = `<p><a href="/auth/login">Se connecter avec Pro Santé Connect</a> (professionnels de santé et personnel des organismes ; aucun mot de passe)
 ou <button id="passkey-login" type="button">avec une clé d'accès</button> <span id="passkey-status"></span></p>
<script src="/static/passkeys.js" defer></script>`;

/**
 * What anyone may see of this instance: the insurers it serves and the size of the
 * professionals' directory. No count per insurer: an insurer's head count moves when its
 * honeytokens are planted (it would tell an attacker how many there are), and it is the
 * insurer's own business, in its own view.
 */
export interface HomeFacts {
  insurers: { name: string; amcNumber: string }[];
  professionals: number;
  sites: number;
  activities: number;
}

/** The home page: the insurers served, the directory's size. */
export function landingRoute(app: FastifyInstance, db: Database, canLogIn: boolean): void {
  app.get('/', async (_request, reply) => {
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderLanding(await homeFacts(db), db.engine, canLogIn));
  });
}

async function homeFacts(db: Database): Promise<HomeFacts> {
  const [insurers, directory] = await db.transaction('platform', (tx) =>
    Promise.all([
      tx.query<{ name: string; amc_number: string }>('SELECT name, amc_number FROM insurer ORDER BY name'),
      tx.query<{ professionals: number; sites: number; activities: number }>(
        `SELECT (SELECT count(*) FROM professional)::int AS professionals, (SELECT count(*) FROM site)::int AS sites,
                (SELECT count(*) FROM activity)::int AS activities`,
      ),
    ]),
  );
  const totals = directory.rows[0] ?? { professionals: 0, sites: 0, activities: 0 };
  return { insurers: insurers.rows.map((row) => ({ name: row.name, amcNumber: row.amc_number })), ...totals };
}

export function renderLanding(facts: HomeFacts, engine: string, canLogIn: boolean): string {
  const rows = facts.insurers.map((insurer) => `<tr><td>${escapeHtml(insurer.name)}</td><td>${escapeHtml(insurer.amcNumber)}</td></tr>`).join('\n');
  return page(
    'Accueil',
    `<h1>Rempart</h1>
<p>Plateforme de tiers payant pour les organismes complémentaires. Stockage : ${escapeHtml(engine)}.</p>
${canLogIn ? loginBlock : ''}
<h2>Organismes servis</h2>
<table>
<thead><tr><th>Organisme</th><th>Numéro AMC</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="2">Aucun organisme chargé.</td></tr>'}
</tbody>
</table>
<p>Annuaire : ${facts.professionals} professionnels, ${facts.sites} structures, ${facts.activities} activités.</p>
<p class="note">Données entièrement synthétiques. Les identités des bénéficiaires sont chiffrées par organisme ; cette page ne donne aucun effectif par organisme : c'est l'affaire de chaque organisme.</p>`,
  );
}
