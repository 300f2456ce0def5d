import { createHash, timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';

/** The header the pages' script sends (src/web/browser/api.ts) and the field their forms carry. */
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/**
 * The session's CSRF token: a one-way digest of the session cookie. Another site can make a
 * browser send the cookie but cannot read it (HttpOnly) nor the pages (same origin), so it
 * cannot know the token; whoever holds the cookie needs no forgery. A new session, a new token.
 */
export function csrfToken(sessionCookie: string): string {
  return createHash('sha256').update(`rempart-csrf\0${sessionCookie}`).digest('base64url');
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function presented(request: FastifyRequest): string {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return typeof body?.[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : '';
}

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Refuses any state-changing request that a browser sends with a person's session cookie
 * and without the session's token (form field or header), before its handler runs. On top
 * of SameSite=Strict: a sibling subdomain is same-site, and old browsers ignore the flag.
 * Software authenticates with DPoP tokens, not cookies: not concerned. `exempt`: paths
 * with their own protection (the identity provider's interaction forms).
 */
export function registerCsrf(app: FastifyInstance, options: { cookie: string; exempt: RegExp }): void {
  // preValidation: after the body is parsed (a form's field), before anything acts on it.
  app.addHook('preValidation', (request, _reply, done) => {
    done(forged(request, options) ? new RempartError('CSRF_REFUSED') : undefined);
  });
}

function forged(request: FastifyRequest, options: { cookie: string; exempt: RegExp }): boolean {
  if (!unsafe.has(request.method) || request.headers.authorization !== undefined || options.exempt.test(request.url)) return false;
  const session = request.cookies[options.cookie];
  if (session === undefined || session === '') return false;
  return !same(presented(request), csrfToken(session));
}
