import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RempartError } from '../../domain/errors/codes.js';
import type { Assets } from '../assets/store.js';
import { ErrorPage } from './error-page.js';
import { shellOf } from './shell.js';

/** A form posted by a page, or a page route: the person is looking at a browser page, not calling the API. */
const fromPage = (request: FastifyRequest): boolean =>
  request.routeOptions.config.page === true || (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

/**
 * Refusals met on pages: a logged-out visitor goes to log in and comes back here; anything
 * else is a French page saying what to do. API calls keep their JSON.
 */
export function pageRefusal(assets: Assets): (request: FastifyRequest, reply: FastifyReply, refusal: RempartError, status: number) => FastifyReply | undefined {
  return (request, reply, refusal, status) => {
    if (!fromPage(request)) return undefined;
    if (refusal.code === 'AUTH_REQUIRED' && request.method === 'GET') return reply.status(302).redirect(`/?retour=${encodeURIComponent(request.url)}`);
    void reply.header('cache-control', 'no-store').html(<ErrorPage shell={shellOf(request, assets)} code={refusal.code} message={refusal.message} status={status} />);
    return reply;
  };
}
