import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import type { StaffAccount } from '../access/people/accounts.js';
import type { PersonContext } from '../access/request-context.js';
import { contextOf } from '../access/access-policy.js';
import { credentialsOf } from '../access/credentials-view.js';
import { accountRefOf, actorOf } from '../access/request-context.js';
import { escapeHtml, page } from '../http/html.js';
import { noticesOf } from '../payments/bank-accounts/store.js';
import { credentialsSection, noticesSection, proofBlock } from './credentials-section.js';
import { passkeysScript } from './passkeys-script.js';

const methods: Record<string, string> = { psc: 'Pro Santé Connect', passkey: 'clé d’accès' };

/**
 * The logged-in person's page: who the platform thinks they are; confirming their identity;
 * their passkeys, open sessions and enrolments, to recognise what is theirs and revoke the
 * rest; logout.
 */
export function meRoute(app: FastifyInstance, db: Database, now: () => Date): void {
  app.get('/static/passkeys.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(passkeysScript));
  app.get('/moi', async (request, reply) => {
    const context = contextOf(request, 'person');
    const method = methods[context.session.method] ?? context.session.method;
    const at = now();
    const view = await credentialsOf(db, accountRefOf(context), actorOf(context), at);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        page(
          'Mon compte',
          `<h1>Connecté</h1>
<p>${escapeHtml(await whoIs(db, context))} — par ${escapeHtml(method)}</p>
${context.kind === 'professional' ? '<p><a href="/soins">Vérifier des droits et calculer une prise en charge</a></p>\n' : ''}<form method="post" action="/auth/logout"><button type="submit">Se déconnecter</button></form>
${proofBlock(context.session.strongProofAt, at)}
<p><button id="passkey-register" type="button">Enregistrer une clé d'accès sur cet appareil</button> <span id="passkey-status"></span></p>
${credentialsSection(view, context.session.ref)}
${context.kind === 'professional' ? noticesSection(await noticesOf(db, context.professional.id)) : ''}
<script src="/static/passkeys.js" defer></script>`,
        ),
      );
  });
}

const roles: Record<StaffAccount['role'], string> = {
  insurer_agent: 'agent d’organisme complémentaire',
  security_officer: 'responsable de la sécurité',
  operator_admin: 'administrateur de la plateforme',
};

async function whoIs(db: Database, context: PersonContext): Promise<string> {
  if (context.kind === 'staff') return `${context.staff.name} — ${roles[context.staff.role]}`;
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ first_name: string; last_name: string }>('SELECT first_name, last_name FROM professional WHERE id = $1', [context.professional.id]),
  );
  const person = found.rows[0];
  return `${person ? `${person.first_name} ${person.last_name}` : ''} — RPPS ${context.professional.rpps}`;
}
