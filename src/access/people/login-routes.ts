import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Access } from '../access.js';
import { recordAuthEvent } from '../auth-events.js';
import { todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { People } from './people.js';
import { openSession, revokeSession, SESSION_COOKIE, SESSION_SECONDS } from './sessions.js';

/** Login through the OIDC provider, session cookie, logout. */
export function loginRoutes(app: FastifyInstance, access: Access, people: People): void {
  app.get('/auth/login', async (_request, reply) => reply.redirect(await people.login.authorizationUrl()));

  app.get('/auth/callback', async (request, reply) => {
    const now = access.now();
    try {
      const { rpps, acr } = await people.login.complete(new URL(request.url, access.publicOrigin), now);
      const professional = await activeProfessionalId(access, rpps, now);
      const session = await openSession(access.db, professional, 'psc', acr, now);
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', subject: rpps, ip: request.ip, credential: `oidc ${acr}` });
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

export async function activeProfessionalId(access: Access, rpps: string, now: Date): Promise<number> {
  const found = await access.db.transaction('platform', (tx) =>
    tx.query<{ id: number }>(
      `SELECT p.id FROM professional p WHERE p.rpps = $1 AND EXISTS (SELECT 1 FROM activity a WHERE a.professional_id = p.id
         AND active_on(a.started_on, a.ended_on, $2::date))`,
      [rpps, todayUtc(now)],
    ),
  );
  const row = found.rows[0];
  if (!row) throw new RempartError('AUTH_PROFESSIONAL_INACTIVE');
  return row.id;
}
