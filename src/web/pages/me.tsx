import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../access/access-policy.js';
import { credentialsOf } from '../../access/credentials-view.js';
import type { StaffAccount } from '../../access/people/accounts.js';
import { accountRefOf, actorOf, rolesOf, type PersonContext } from '../../access/request-context.js';
import { practitionerOn } from '../../access/sites.js';
import type { Database } from '../../db/database.js';
import { todayUtc } from '../../domain/dates.js';
import { noticesOf } from '../../payments/bank-accounts/store.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { CredentialsSection, methods, NoticesSection, ProofBlock } from './credentials-section.js';

const roles: Readonly<Record<StaffAccount['role'], string>> = {
  insurer_agent: 'agent d’organisme complémentaire',
  security_officer: 'responsable de la sécurité',
  operator_admin: 'administrateur de la plateforme',
};

/**
 * The logged-in person's page: who the platform thinks they are; confirming their identity;
 * their passkeys, open sessions and enrolments, to recognise what is theirs and revoke the
 * rest; the notices of their sites.
 */
export function meRoute(app: FastifyInstance, options: { db: Database; now: () => Date; assets: Assets }): void {
  const { db } = options;
  app.get('/moi', { config: { page: true } }, async (request, reply) => {
    const context = contextOf(request, 'person');
    const now = options.now();
    const view = await credentialsOf(db, accountRefOf(context), actorOf(context), now);
    const notices = context.kind === 'professional' ? await noticesOf(db, context.professional.id) : undefined;
    return reply.header('cache-control', 'no-store').html(
      <Layout title="Mon compte" shell={shellOf(request, options.assets)} scripts={['passkeys.js']}>
        <h1>Mon compte</h1>
        <p id="who" safe>{await whoIs(db, context, now)} — connecté par {methods[context.session.method] ?? context.session.method}</p>
        <ProofBlock strongProofAt={context.session.strongProofAt} now={now} />
        <p>
          <button id="passkey-register" type="button">Enregistrer une clé d'accès sur cet appareil</button> <span id="passkey-status" role="status"></span>
        </p>
        <CredentialsSection view={view} currentSession={context.session.ref} />
        {notices === undefined ? '' : <NoticesSection notices={notices} administers={rolesOf(context).includes('site_admin')} />}
      </Layout>,
    );
  });
}

async function whoIs(db: Database, context: PersonContext, now: Date): Promise<string> {
  if (context.kind === 'staff') return `${context.staff.name} — ${roles[context.staff.role]}`;
  const { firstName, lastName } = await practitionerOn(db, context.professional.id, todayUtc(now));
  return `${firstName} ${lastName} — RPPS ${context.professional.rpps}`;
}
