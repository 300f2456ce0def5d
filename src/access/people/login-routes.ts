import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Access } from '../access.js';
import { recordAuthEvent } from '../auth-events.js';
import { RempartError } from '../../domain/errors/codes.js';
import { accountLabel, findProfessionalAccount, findStaffAccount, type Account, type AccountRef } from './accounts.js';
import type { LoginIdentity } from './oidc-login.js';
import type { People } from './people.js';
import { openSession, provedFrom, revokeSession, SESSION_COOKIE, SESSION_SECONDS } from './sessions.js';

/** A professional proved presence: a step-up the shield asked for is answered. */
export async function presenceProved(access: Access, account: AccountRef, now: Date): Promise<void> {
  if (account.kind === 'professional') await access.shield.presenceProved(account.id, now.getTime());
}

/** Login through the OIDC provider, session cookie, logout. */
export function loginRoutes(app: FastifyInstance, access: Access, people: People): void {
  app.get('/auth/login', async (_request, reply) => reply.redirect(await people.login.authorizationUrl()));

  app.get('/auth/callback', async (request, reply) => {
    const now = access.now();
    try {
      const { identity, acr } = await people.login.complete(new URL(request.url, access.publicOrigin), now);
      const account = await accountOfIdentity(access, identity, now);
      const session = await openSession(access.db, account, 'psc', acr, now, provedFrom(request));
      await presenceProved(access, account, now);
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', subject: accountLabel(account), ip: request.ip, credential: `oidc ${acr}` });
      setSessionCookie(reply, people, session, SESSION_SECONDS);
      return await reply.redirect('/moi');
    } catch (error) {
      const reason = error instanceof RempartError ? error.message : 'erreur';
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'failure', reason, ip: request.ip, credential: 'oidc' });
      throw error;
    }
  });

  app.post('/auth/logout', async (request, reply) => {
    const value = request.cookies[SESSION_COOKIE];
    if (value) {
      await revokeSession(access.db, value, access.now());
      await recordAuthEvent(access.db, { kind: 'revocation', outcome: 'success', reason: 'déconnexion', ip: request.ip });
    }
    setSessionCookie(reply, people, '', 0);
    return reply.redirect('/');
  });
}

export function setSessionCookie(reply: FastifyReply, people: People, value: string, maxAge: number): void {
  reply.setCookie(SESSION_COOKIE, value, { httpOnly: true, secure: people.secureCookies, sameSite: 'strict', path: '/', maxAge });
}

/** The account an identity opens: practising professional, or staff member; never a suspended one. */
async function accountOfIdentity(access: Access, identity: LoginIdentity, now: Date): Promise<Account> {
  const account = await access.db.transaction<Account | undefined>('platform', (tx) =>
    'rpps' in identity ? findProfessionalAccount(tx, { rpps: identity.rpps }, now) : findStaffAccount(tx, { subject: identity.subject }),
  );
  if (account) return account;
  throw 'rpps' in identity
    ? new RempartError('AUTH_PROFESSIONAL_INACTIVE', `RPPS ${identity.rpps}`)
    : new RempartError('AUTH_LOGIN_FAILED', 'compte inconnu ou suspendu');
}
