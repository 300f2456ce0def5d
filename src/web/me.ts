import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { contextOf } from '../http/plugins/access-policy.js';
import { escapeHtml, page } from './html.js';

/** The logged-in professional's page: who the platform thinks they are, and logout. */
export function meRoute(app: FastifyInstance, db: Database): void {
  app.get('/moi', async (request, reply) => {
    const { professional } = contextOf(request);
    const found = await db.transaction('platform', (tx) =>
      tx.query<{ first_name: string; last_name: string }>('SELECT first_name, last_name FROM professional WHERE id = $1', [professional.id]),
    );
    const person = found.rows[0];
    const name = person ? `${person.first_name} ${person.last_name}` : '';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        page(
          'Mon compte',
          `<h1>Connecté</h1>
<p>${escapeHtml(name)} — RPPS ${escapeHtml(professional.rpps)}</p>
<form method="post" action="/auth/logout"><button type="submit">Se déconnecter</button></form>`,
        ),
      );
  });
}
