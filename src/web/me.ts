import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { contextOf } from '../http/plugins/access-policy.js';
import { escapeHtml, page } from './html.js';
import { passkeysScript } from './passkeys-script.js';

const methods: Record<string, string> = { psc: 'Pro Santé Connect', passkey: 'clé d’accès' };

/** The logged-in professional's page: who the platform thinks they are, passkeys, logout. */
export function meRoute(app: FastifyInstance, db: Database): void {
  app.get('/static/passkeys.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(passkeysScript));
  app.get('/moi', async (request, reply) => {
    const context = contextOf(request);
    const found = await db.transaction('platform', (tx) =>
      tx.query<{ first_name: string; last_name: string }>('SELECT first_name, last_name FROM professional WHERE id = $1', [context.professional.id]),
    );
    const person = found.rows[0];
    const name = person ? `${person.first_name} ${person.last_name}` : '';
    const method = context.kind === 'person' ? (methods[context.method] ?? context.method) : '';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        page(
          'Mon compte',
          `<h1>Connecté</h1>
<p>${escapeHtml(name)} — RPPS ${escapeHtml(context.professional.rpps)} — par ${escapeHtml(method)}</p>
<p><button id="passkey-register" type="button">Enregistrer une clé d'accès sur cet appareil</button> <span id="passkey-status"></span></p>
<form method="post" action="/auth/logout"><button type="submit">Se déconnecter</button></form>
<script src="/static/passkeys.js" defer></script>`,
        ),
      );
  });
}
