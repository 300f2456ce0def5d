import type { Practice } from '../domain/coverage/practice-domains.js';
import type { Role } from './policy.js';
import type { AccountRef, StaffAccount } from './people/accounts.js';
import type { PersonSession, ProvedFrom } from './people/sessions.js';

/**
 * Who is calling, built once per request from verified credentials only: the single
 * source of identity for every handler below (nothing re-reads headers).
 */
export type RequestContext = ClientContext | PortalContext | ProfessionalContext | StaffContext;

export interface ClientContext {
  kind: 'client';
  clientId: string;
  siteId: number;
  /** The professional acting through the software, active at that site today. */
  professional: { id: number; rpps: string };
  /** What the acting professional practises there: decides which care domains they see. */
  practice: Practice;
  /** Thumbprint of the DPoP key the token is bound to: the installation's device key. */
  keyThumbprint: string;
}

/**
 * An insurer's member portal (src/transparency): a client bound to one insurer, whose
 * members are already logged in on the portal. It acts for that insurer only.
 */
export interface PortalContext {
  kind: 'portal';
  clientId: string;
  insurerId: number;
  /** Thumbprint of the DPoP key the token is bound to. */
  keyThumbprint: string;
}

/** What the access layer knows of a person's session. */
export interface SessionInfo {
  /** A non-reversible handle for the logs, never the cookie. */
  ref: string;
  method: string;
  authenticatedAt: Date;
  /** Where the holder last proved presence (null for sessions opened before this was kept). */
  provedFrom: ProvedFrom | null;
  /** The last strong proof (passkey, or Pro Santé Connect's authentication time), given where provedFrom says. */
  strongProofAt: Date | null;
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
    case 'portal':
      return ['member_portal'];
    case 'staff':
      return [context.staff.role];
    case 'professional':
      return context.adminSites.length > 0 ? ['professional', 'site_admin'] : ['professional'];
  }
}

/** The context of a person's live session. */
export function personContext(session: PersonSession): PersonContext {
  const { account } = session;
  const info: SessionInfo = {
    ref: session.ref, method: session.method, authenticatedAt: session.authenticatedAt, provedFrom: session.provedFrom, strongProofAt: session.strongProofAt,
  };
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
    case 'portal':
      return `portail adhérents ${context.clientId}`;
  }
}

export const PROFESSIONAL_HEADER = 'rempart-professionnel';
