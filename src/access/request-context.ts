import type { FastifyRequest } from 'fastify';
import { todayUtc } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { parseRpps } from '../domain/identifiers/index.js';
import type { Access } from './access.js';
import type { Role } from './policy.js';
import { findClient } from './clients.js';
import { verifyDpopProof } from './dpop.js';
import type { AccountRef, StaffAccount } from './people/accounts.js';
import type { PersonSession } from './people/sessions.js';

/**
 * Who is calling, built once per request from verified credentials only: the single
 * source of identity for every handler below (nothing re-reads headers).
 */
export type RequestContext = ClientContext | ProfessionalContext | StaffContext;

export interface ClientContext {
  kind: 'client';
  clientId: string;
  siteId: number;
  /** The professional acting through the software, active at that site today. */
  professional: { id: number; rpps: string };
}

/** What the access layer knows of a person's session. */
export interface SessionInfo {
  /** A non-reversible handle for the logs, never the cookie. */
  ref: string;
  method: string;
  authenticatedAt: Date;
}

/** A professional logged in on the platform's pages (session cookie). */
export interface ProfessionalContext {
  kind: 'professional';
  professional: { id: number; rpps: string };
  /** Sites this professional administers today (holder, partner, or delegated). */
  adminSites: number[];
  session: SessionInfo;
}

/** An insurer agent, a security officer or an operator administrator. */
export interface StaffContext {
  kind: 'staff';
  staff: StaffAccount;
  session: SessionInfo;
}

export type PersonContext = ProfessionalContext | StaffContext;

/** The roles a context holds, as the access policy names them. */
export function rolesOf(context: RequestContext): Role[] {
  switch (context.kind) {
    case 'client':
      return ['client'];
    case 'staff':
      return [context.staff.role];
    case 'professional':
      return context.adminSites.length > 0 ? ['professional', 'site_admin'] : ['professional'];
  }
}

/** The context of a person's live session. */
export function personContext(session: PersonSession): PersonContext {
  const { account } = session;
  const info: SessionInfo = { ref: session.ref, method: session.method, authenticatedAt: session.authenticatedAt };
  if (account.kind === 'staff') return { kind: 'staff', staff: account, session: info };
  return { kind: 'professional', professional: { id: account.id, rpps: account.rpps }, adminSites: account.adminSites, session: info };
}

/** The account behind a person's context. */
export function accountRefOf(context: PersonContext): AccountRef {
  return context.kind === 'staff' ? { kind: 'staff', id: context.staff.id } : { kind: 'professional', id: context.professional.id };
}

/** Who acted, as the logs and the decisions name them: RPPS, staff subject, or client. */
export function actorOf(context: RequestContext): string {
  switch (context.kind) {
    case 'staff':
      return `agent ${context.staff.subject}`;
    case 'professional':
      return `RPPS ${context.professional.rpps}`;
    case 'client':
      return `logiciel ${context.clientId} pour RPPS ${context.professional.rpps}`;
  }
}

export const PROFESSIONAL_HEADER = 'rempart-professionnel';

export async function clientContext(access: Access, request: FastifyRequest): Promise<ClientContext> {
  const now = access.now();
  const token = bearerToken(request.headers.authorization);
  const claims = await access.signer.verify(token, now).catch(() => {
    throw new RempartError('AUTH_TOKEN_INVALID');
  });
  const proof = request.headers.dpop;
  const url = `${access.publicOrigin}${request.url.split('?')[0] ?? ''}`;
  const jkt = await verifyDpopProof(typeof proof === 'string' ? proof : undefined, { method: request.method, url, accessToken: token, now }, access.replay);
  if (jkt !== claims.cnf.jkt) throw new RempartError('AUTH_DPOP_INVALID', 'preuve signée par une autre clé que celle du jeton');
  // Re-read at every call: suspending a client cuts its live tokens at once.
  const client = await findClient(access.db, claims.sub);
  if (!client || client.status !== 'active' || client.siteId !== claims.site) throw new RempartError('AUTH_CLIENT_INVALID', 'client suspendu');
  const professional = await activeProfessional(access, request.headers[PROFESSIONAL_HEADER], client.siteId, now);
  return { kind: 'client', clientId: client.clientId, siteId: client.siteId, professional };
}

function bearerToken(authorization: string | undefined): string {
  const match = /^DPoP ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
  if (!match?.[1]) throw new RempartError('AUTH_REQUIRED');
  return match[1];
}

/** The named professional must hold an activity at the client's site on this day, and not be suspended. */
async function activeProfessional(access: Access, header: string | string[] | undefined, siteId: number, now: Date): Promise<ClientContext['professional']> {
  const rpps = parseRpps(typeof header === 'string' ? header : '');
  if (!rpps.ok) throw new RempartError('AUTH_PROFESSIONAL_INACTIVE', `en-tête ${PROFESSIONAL_HEADER} : RPPS attendu`);
  const found = await access.db.transaction('platform', (tx) =>
    tx.query<{ id: number }>(
      `SELECT p.id FROM professional p JOIN activity a ON a.professional_id = p.id
        WHERE p.rpps = $1 AND a.site_id = $2 AND active_on(a.started_on, a.ended_on, $3) AND NOT professional_suspended(p.id) LIMIT 1`,
      [rpps.value, siteId, todayUtc(now)],
    ),
  );
  const row = found.rows[0];
  if (!row) throw new RempartError('AUTH_PROFESSIONAL_INACTIVE');
  return { id: row.id, rpps: rpps.value };
}
