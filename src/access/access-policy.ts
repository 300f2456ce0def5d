import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MachineChecks } from './access.js';
import { recordAuthEvent } from './auth-events.js';
import { recordEnrolment } from './enrolments.js';
import type { Database } from '../db/database.js';
import type {} from '@fastify/cookie';
import { liveSession, provedFrom, SESSION_COOKIE, type ProvedFrom } from './people/sessions.js';
import { enrolmentRefusal } from './people/strong-proof.js';
import { policyFor, STEP_UP_SECONDS, type RoleRule } from './policy.js';
import { machineContext } from './portal-context.js';
import {
  actorOf, personContext, rolesOf,
  type ClientContext, type PersonContext, type PortalContext, type ProfessionalContext, type RequestContext, type StaffContext,
} from './request-context.js';
import { RempartError } from '../domain/errors/codes.js';

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
export function enforcePolicy(app: FastifyInstance, access: MachineChecks): void {
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
    let context: RequestContext | undefined;
    try {
      context = await identify(access, request);
      authorize(context, rule, access.now(), provedFrom(request));
      request.context = context;
    } catch (error) {
      await recordRefusal(access.db, request, error, context);
      throw error;
    }
  });
}

/**
 * A refusal, in the authentication log. An enrolment refused to a person's session is an
 * enrolment attempt of theirs, shown to them and to the console with its device and
 * network: how a holder learns that a copied cookie of theirs is being tried.
 */
async function recordRefusal(db: Database, request: FastifyRequest, error: unknown, context: RequestContext | undefined): Promise<void> {
  if (error instanceof RempartError && error.code === 'AUTH_FRESH_PROOF_REQUIRED' && context) {
    const what = request.routeOptions.schema?.summary ?? request.routeOptions.url ?? '';
    await recordEnrolment(db, request, actorOf(context), `refusé : ${what} (${error.detail ?? ''})`, {}, 'failure');
    return;
  }
  const reason = error instanceof RempartError ? error.code : 'erreur';
  await recordAuthEvent(db, { kind: 'request', outcome: 'failure', reason, ip: request.ip });
}

/** Practice software and member portals present a DPoP token; a person, the session cookie. */
async function identify(access: MachineChecks, request: FastifyRequest): Promise<RequestContext> {
  if (request.headers.authorization !== undefined) return machineContext(access, request);
  const cookie = request.cookies[SESSION_COOKIE];
  const session = cookie ? await liveSession(access.db, cookie, access.now()) : undefined;
  if (!session) throw new RempartError('AUTH_REQUIRED');
  return personContext(session);
}

/**
 * The role must be listed; a sensitive action also needs a recent proof of presence, and
 * an enrolment a fresh strong one given from here (`here`: where the request comes from).
 */
function authorize(context: RequestContext, rule: RoleRule, now: Date, here: ProvedFrom): void {
  if (!rolesOf(context).some((role) => rule.roles.includes(role))) throw new RempartError('AUTH_FORBIDDEN');
  if (context.kind !== 'professional' && context.kind !== 'staff') return;
  const { session } = context;
  if (rule.stepUp && now.getTime() - session.authenticatedAt.getTime() > STEP_UP_SECONDS * 1000) throw new RempartError('AUTH_STEP_UP_REQUIRED');
  if (rule.enrols) {
    const refusal = enrolmentRefusal(session.strongProofAt && { at: session.strongProofAt, from: session.provedFrom }, here, now);
    if (refusal !== undefined) throw new RempartError('AUTH_FRESH_PROOF_REQUIRED', refusal);
  }
}

/** The contexts a route may ask for by kind; `person` is either kind of logged-in person. */
interface ContextOfKind {
  client: ClientContext;
  portal: PortalContext;
  professional: ProfessionalContext;
  staff: StaffContext;
  person: PersonContext;
}
export type ContextKind = keyof ContextOfKind;

/** Whom the policy opens a route to, for the wiring-bug message when the context is of another kind. */
const reservedTo: Readonly<Record<ContextKind, string>> = {
  client: 'aux logiciels',
  portal: 'aux portails adhérents',
  professional: 'aux professionnels',
  staff: 'au personnel',
  person: 'aux personnes',
};

function isOfKind<K extends ContextKind>(context: RequestContext, kind: K): context is ContextOfKind[K] {
  return kind === 'person' ? context.kind === 'professional' || context.kind === 'staff' : context.kind === kind;
}

/**
 * The context of a protected route, of the kind the policy opens it to (`person`: a
 * professional or staff member). Its absence, or another kind, is a wiring bug (a route
 * missing from the policy, or a policy that disagrees with the handler), not a client error.
 */
export function contextOf(request: FastifyRequest): RequestContext;
export function contextOf<K extends ContextKind>(request: FastifyRequest, kind: K): ContextOfKind[K];
export function contextOf(request: FastifyRequest, kind?: ContextKind): RequestContext {
  if (!request.context) throw new Error('route protégée sans contexte : politique manquante');
  if (kind !== undefined && !isOfKind(request.context, kind)) throw new Error(`route réservée ${reservedTo[kind]} : politique incohérente`);
  return request.context;
}
