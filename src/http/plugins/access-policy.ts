import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from '../../access/access.js';
import { recordAuthEvent } from '../../access/auth-events.js';
import type {} from '@fastify/cookie';
import { liveSession, SESSION_COOKIE } from '../../access/people/sessions.js';
import { policyFor, STEP_UP_SECONDS, type RoleRule } from '../../access/policy.js';
import { machineContext } from '../../access/portal-context.js';
import {
  personContext, rolesOf,
  type ClientContext, type PersonContext, type PortalContext, type ProfessionalContext, type RequestContext, type StaffContext,
} from '../../access/request-context.js';
import { RempartError } from '../../domain/errors/codes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authorization hook before any non-public handler runs. */
    context: RequestContext | null;
  }
}

/**
 * Enforces the declared policy (src/access/policy.ts) on every route: a route missing
 * from it stops the server at start-up; a non-public route cannot run without a verified
 * request context whose role the policy allows; every refusal is written to the
 * authentication log.
 */
export function enforcePolicy(app: FastifyInstance, access: Access): void {
  app.decorateRequest('context', null);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (!policyFor(method, route.url)) throw new Error(`Route sans politique d'accès : ${method} ${route.url}`);
    }
  });
  // onRequest: callers are identified before their body is even parsed or validated.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const rule = policyFor(request.method, request.routeOptions.url ?? '');
    if (rule === undefined || rule === 'public') return;
    try {
      const context = await identify(access, request);
      authorize(context, rule, access.now());
      request.context = context;
    } catch (error) {
      const reason = error instanceof RempartError ? error.code : 'erreur';
      await recordAuthEvent(access.db, { kind: 'request', outcome: 'failure', reason, ip: request.ip });
      throw error;
    }
  });
}

/** Practice software and member portals present a DPoP token; a person, the session cookie. */
async function identify(access: Access, request: FastifyRequest): Promise<RequestContext> {
  if (request.headers.authorization !== undefined) return machineContext(access, request);
  const cookie = request.cookies[SESSION_COOKIE];
  const session = cookie ? await liveSession(access.db, cookie, access.now()) : undefined;
  if (!session) throw new RempartError('AUTH_REQUIRED');
  return personContext(session);
}

/** The role must be listed; a sensitive action also needs a recent proof of presence. */
function authorize(context: RequestContext, rule: RoleRule, now: Date): void {
  if (!rolesOf(context).some((role) => rule.roles.includes(role))) throw new RempartError('AUTH_FORBIDDEN');
  if (rule.stepUp && (context.kind === 'professional' || context.kind === 'staff') && now.getTime() - context.session.authenticatedAt.getTime() > STEP_UP_SECONDS * 1000) {
    throw new RempartError('AUTH_STEP_UP_REQUIRED');
  }
}

/** The context of a protected route; its absence would be a wiring bug, not a client error. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.context) throw new Error('route protégée sans contexte : politique manquante');
  return request.context;
}

/** The context of a route the policy opens to practice software only. */
export function clientContextOf(request: FastifyRequest): ClientContext {
  const context = contextOf(request);
  if (context.kind !== 'client') throw new Error('route réservée aux logiciels : politique incohérente');
  return context;
}

/** The context of a route the policy opens to logged-in people only. */
export function personContextOf(request: FastifyRequest): PersonContext {
  const context = contextOf(request);
  if (context.kind === 'client' || context.kind === 'portal') throw new Error('route réservée aux personnes : politique incohérente');
  return context;
}

/** The context of a route the policy opens to member portals only. */
export function portalContextOf(request: FastifyRequest): PortalContext {
  const context = contextOf(request);
  if (context.kind !== 'portal') throw new Error('route réservée aux portails adhérents : politique incohérente');
  return context;
}

/** The context of a route the policy opens to professionals (and site administrators) only. */
export function professionalContextOf(request: FastifyRequest): ProfessionalContext {
  const context = contextOf(request);
  if (context.kind !== 'professional') throw new Error('route réservée aux professionnels : politique incohérente');
  return context;
}

/** The context of a route the policy opens to staff roles only. */
export function staffContextOf(request: FastifyRequest): StaffContext {
  const context = contextOf(request);
  if (context.kind !== 'staff') throw new Error('route réservée au personnel : politique incohérente');
  return context;
}
