import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { personContextOf } from '../../http/plugins/access-policy.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { Access } from '../access.js';
import { recordAuthEvent } from '../auth-events.js';
import { accountRefOf, actorOf } from '../request-context.js';
import { accountLabel, findAccount } from './accounts.js';
import { setSessionCookie } from './login-routes.js';
import type { People } from './people.js';
import { markAuthenticated, openSession, SESSION_COOKIE, SESSION_SECONDS } from './sessions.js';

const body = { type: 'object', additionalProperties: true } as const;

/** Passkey ceremonies: registration for a logged-in person, login with it, and step-up. */
export function passkeyRoutes(app: FastifyInstance, access: Access, people: People): void {
  app.post('/auth/passkey/register/options', async (request) => {
    const context = personContextOf(request);
    return people.passkeys.registrationOptions(accountRefOf(context), actorOf(context), access.now());
  });

  app.post<{ Body: RegistrationResponseJSON }>('/auth/passkey/register', { schema: { body } }, async (request) => {
    const context = personContextOf(request);
    await people.passkeys.register(accountRefOf(context), request.body, access.now());
    await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', reason: 'clé d’accès enregistrée', subject: actorOf(context), ip: request.ip, credential: `passkey ${request.body.id}` });
    return { enregistree: true };
  });

  app.post('/auth/passkey/login/options', async () => people.passkeys.authenticationOptions(access.now()));

  app.post<{ Body: AuthenticationResponseJSON }>('/auth/passkey/login', { schema: { body } }, async (request, reply) => {
    const now = access.now();
    await logged(access, request, 'token', async () => {
      const account = await findAccount(access.db, await people.passkeys.authenticate(request.body, now), now);
      if (!account) throw new RempartError('AUTH_PROFESSIONAL_INACTIVE');
      setSessionCookie(reply, people, await openSession(access.db, account, 'passkey', null, now), SESSION_SECONDS);
      return accountLabel(account);
    });
    return { connecte: true };
  });

  app.post('/auth/step-up/options', async (request) => people.passkeys.stepUpOptions(accountRefOf(personContextOf(request)), access.now()));

  app.post<{ Body: AuthenticationResponseJSON }>('/auth/step-up', { schema: { body } }, async (request) => {
    const now = access.now();
    const context = personContextOf(request);
    await logged(access, request, 'step-up', async () => {
      await people.passkeys.stepUp(accountRefOf(context), request.body, now);
      await markAuthenticated(access.db, request.cookies[SESSION_COOKIE] ?? '', 'passkey', now);
      return actorOf(context);
    });
    return { confirme: true };
  });
}

/** Runs a passkey ceremony and writes its outcome, success or failure, to the authentication log. */
async function logged(access: Access, request: FastifyRequest<{ Body: AuthenticationResponseJSON }>, kind: 'token' | 'step-up', ceremony: () => Promise<string>): Promise<void> {
  try {
    const subject = await ceremony();
    await recordAuthEvent(access.db, { kind, outcome: 'success', subject, ip: request.ip, credential: `passkey ${request.body.id}` });
  } catch (error) {
    const reason = error instanceof RempartError ? error.message : 'erreur';
    await recordAuthEvent(access.db, { kind, outcome: 'failure', reason, ip: request.ip, credential: 'passkey' });
    throw error;
  }
}
