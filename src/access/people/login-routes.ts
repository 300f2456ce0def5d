import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountWatch } from '../access.js';
import type { Database } from '../../db/database.js';
import { recordAuthEvent } from '../auth-events.js';
import { RempartError } from '../../domain/errors/codes.js';
import { safeReturnPath } from '../../http/return-path.js';
import { accountLabel, findProfessionalAccount, findStaffAccount, type Account, type AccountRef } from './accounts.js';
import type { LoginIdentity } from './oidc-login.js';
import type { People } from './people.js';
import { openSession, provedFrom, revokeSession, SESSION_COOKIE, SESSION_SECONDS } from './sessions.js';

/** What login needs: the database, the clock, the public origin the provider returns to, and the shield told of presence. */
export interface LoginOptions { db: Database; now: () => Date; publicOrigin: string; watch: AccountWatch }

/** A professional proved presence: a step-up the shield asked for is answered. */
export async function presenceProved(options: { watch: AccountWatch }, account: AccountRef, now: Date): Promise<void> {
  if (account.kind === 'professional') await options.watch.presenceProved(account.id, now.getTime());
}

/** Where the person goes after a login through the provider, when a page sent them to log in. */
const RETURN_COOKIE = 'rempart_retour';

/** Login through the OIDC provider, session cookie, logout. */
export function loginRoutes(app: FastifyInstance, options: LoginOptions, people: People): void {
  app.get<{ Querystring: { retour?: string } }>('/auth/login', async (request, reply) => {
    // The page that sent the person here, kept for the provider's return (a cross-site navigation, hence Lax).
    const back = safeReturnPath(request.query.retour);
    if (back !== undefined) reply.setCookie(RETURN_COOKIE, back, { httpOnly: true, secure: people.secureCookies, sameSite: 'lax', path: '/auth/callback', maxAge: 600 });
    return reply.redirect(await people.login.authorizationUrl());
  });

  app.get('/auth/callback', async (request, reply) => {
    const now = options.now();
    try {
      const { identity, acr, authenticatedAt } = await people.login.complete(new URL(request.url, options.publicOrigin), now);
      const account = await accountOfIdentity(options, identity, now);
      // The strong proof is the provider's authentication, not this callback: a login it answered from an old session of its own enrols nothing.
      const session = await openSession(options.db, account, 'psc', acr, now, provedFrom(request), authenticatedAt);
      await presenceProved(options, account, now);
      await recordAuthEvent(options.db, { kind: 'token', outcome: 'success', subject: accountLabel(account), ip: request.ip, credential: `oidc ${acr}` });
      await replaceSessionCookie(options, request, reply, people, session);
      reply.clearCookie(RETURN_COOKIE, { path: '/auth/callback' });
      return await reply.redirect(safeReturnPath(request.cookies[RETURN_COOKIE]) ?? '/moi');
    } catch (error) {
      const reason = error instanceof RempartError ? error.message : 'erreur';
      await recordAuthEvent(options.db, { kind: 'token', outcome: 'failure', reason, ip: request.ip, credential: 'oidc' });
      throw error;
    }
  });

  app.post('/auth/logout', async (request, reply) => {
    const value = request.cookies[SESSION_COOKIE];
    if (value) {
      await revokeSession(options.db, value, options.now());
      await recordAuthEvent(options.db, { kind: 'revocation', outcome: 'success', reason: 'déconnexion', ip: request.ip });
    }
    setSessionCookie(reply, people, '', 0);
    return reply.redirect('/');
  });
}

/**
 * Sets the cookie of a new login. The session this browser held is closed: confirming one's
 * identity by logging in again replaces it rather than leaving it open beside the new one.
 */
export async function replaceSessionCookie(options: { db: Database; now: () => Date }, request: FastifyRequest, reply: FastifyReply, people: People, value: string): Promise<void> {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await revokeSession(options.db, previous, options.now());
  setSessionCookie(reply, people, value, SESSION_SECONDS);
}

export function setSessionCookie(reply: FastifyReply, people: People, value: string, maxAge: number): void {
  reply.setCookie(SESSION_COOKIE, value, { httpOnly: true, secure: people.secureCookies, sameSite: 'strict', path: '/', maxAge });
}

/** The account an identity opens: practising professional, or staff member; never a suspended one. */
async function accountOfIdentity(options: { db: Database }, identity: LoginIdentity, now: Date): Promise<Account> {
  const account = await options.db.transaction<Account | undefined>('platform', (tx) =>
    'rpps' in identity ? findProfessionalAccount(tx, { rpps: identity.rpps }, now) : findStaffAccount(tx, { subject: identity.subject }),
  );
  if (account) return account;
  throw 'rpps' in identity
    ? new RempartError('AUTH_PROFESSIONAL_INACTIVE', `RPPS ${identity.rpps}`)
    : new RempartError('AUTH_LOGIN_FAILED', 'compte inconnu ou suspendu');
}
