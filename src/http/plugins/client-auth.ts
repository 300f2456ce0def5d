import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from '../../access/access.js';
import { recordAuthEvent } from '../../access/auth-events.js';
import { clientContext, type RequestContext } from '../../access/request-context.js';
import { RempartError } from '../../domain/errors/codes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook before any handler of a protected scope runs. */
    context: RequestContext | null;
  }
}

/**
 * Puts every route registered inside `scope` behind practice-software authentication:
 * a handler there cannot run without a verified request context, and every refusal is
 * written to the authentication log.
 */
export function requireClient(scope: FastifyInstance, access: Access): void {
  scope.decorateRequest('context', null);
  scope.addHook('preHandler', async (request: FastifyRequest) => {
    try {
      request.context = await clientContext(access, request);
    } catch (error) {
      const reason = error instanceof RempartError ? error.code : 'erreur';
      await recordAuthEvent(access.db, { kind: 'request', outcome: 'failure', reason, ip: request.ip });
      throw error;
    }
  });
}

/** The context of a protected route; its absence would be a wiring bug, not a client error. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.context) throw new Error('route protégée sans contexte : requireClient manquant');
  return request.context;
}
