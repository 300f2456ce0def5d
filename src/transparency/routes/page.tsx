import type { FastifyInstance } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';
import { errorStatus } from '../../http/error-status.js';
import type { Assets } from '../../web/assets/store.js';
import { shellOf, type Shell } from '../../web/shell/shell.js';
import { HistoryPage, LinkRefusal, PRIVATE_PAGE_HEADERS } from '../page.js';
import { openLink, type TransparencyDeps } from '../transparency.js';

/**
 * GET /transparence/:jeton: the insured person's page, opened by the link their portal
 * asked for. The token is the only credential and is spent by this request; no HEAD
 * route, so nothing but a real visit spends it.
 */
export function historyPageRoute(app: FastifyInstance, deps: TransparencyDeps, assets: Assets): void {
  app.get<{ Params: { jeton: string } }>('/transparence/:jeton', { exposeHeadRoute: false, schema: { hide: true } }, async (request, reply) => {
    const { status, html } = await historyOrRefusal(deps, shellOf(request, assets), request.params.jeton, request.ip, request.headers['user-agent']);
    return reply.status(status).headers(PRIVATE_PAGE_HEADERS).html(html);
  });
}

/** A refused link is a page too, in words, with its code's status (404 unknown or spent, 410 expired). */
async function historyOrRefusal(deps: TransparencyDeps, shell: Shell, token: string, ip: string, userAgent: string | undefined): Promise<{ status: number; html: JSX.Element }> {
  try {
    return { status: 200, html: <HistoryPage shell={shell} opened={await openLink(deps, token, { ip, userAgent: userAgent ?? null })} /> };
  } catch (error) {
    if (!(error instanceof RempartError)) throw error;
    return { status: errorStatus[error.code], html: <LinkRefusal shell={shell} message={error.message} /> };
  }
}
