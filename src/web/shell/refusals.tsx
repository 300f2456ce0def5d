import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RempartError } from '../../domain/errors/codes.js';
import type { Assets } from '../assets/store.js';
import { ErrorPage } from './error-page.js';
import { shellOf } from './shell.js';

/**
 * A page route, or a browser's navigation (a form posted, an address typed: browsers ask for
 * text/html, scripts and software do not): the person is looking at a page, not calling the API.
 */
const fromPage = (request: FastifyRequest): boolean => request.routeOptions.config.page === true || (request.headers.accept ?? '').includes('text/html');

/**
 * Refusals met on pages: a logged-out visitor goes to log in and comes back here; anything
 * else is a French page saying what to do. API calls keep their JSON.
 */
export function pageRefusal(assets: Assets): (request: FastifyRequest, reply: FastifyReply, refusal: RempartError, status: number) => FastifyReply | undefined {
  return (request, reply, refusal, status) => {
    if (!fromPage(request)) return undefined;
    if (refusal.code === 'AUTH_REQUIRED' && ['GET', 'HEAD'].includes(request.method) && request.routeOptions.config.page === true) return reply.status(302).redirect(`/?retour=${encodeURIComponent(request.url)}`);
    void reply.header('cache-control', 'no-store').html(<ErrorPage shell={shellOf(request, assets)} code={refusal.code} message={refusal.message} status={status} />);
    return reply;
  };
}
