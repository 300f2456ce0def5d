/**
 * Who may call what: one declared table for the whole platform. The server refuses to
 * start with a route missing from it, and a test walks every route × every role.
 * `client`: practice software acting for a professional; `professional`: a person logged
 * in on the platform's pages; `site_admin`: a professional who holds (titulaire, associé)
 * an active activity at a site, and manages that site's software. Roles to come: insurer
 * agent, security officer, operator admin.
 */
export type Role = 'client' | 'professional' | 'site_admin';

export type RoutePolicy = 'public' | readonly Role[];

export const policy: Readonly<Record<string, RoutePolicy>> = {
  'GET /': 'public',
  'GET /health': 'public',
  'POST /oauth/token': 'public',
  'GET /api/v1/session': ['client'],
  'GET /auth/login': 'public',
  'GET /auth/callback': 'public',
  'POST /auth/logout': 'public',
  'GET /moi': ['professional'],
  'GET /static/passkeys.js': 'public',
  'GET /api/v1/site/clients': ['site_admin'],
  'POST /api/v1/site/clients/:clientId/suspend': ['site_admin'],
  'POST /auth/passkey/register/options': ['professional'],
  'POST /auth/passkey/register': ['professional'],
  'POST /auth/passkey/login/options': 'public',
  'POST /auth/passkey/login': 'public',
  // The local stand-in for Pro Santé Connect (development and demo only).
  'GET /idp/*': 'public',
  'POST /idp/*': 'public',
  'GET /idp/interaction/:uid': 'public',
  'POST /idp/interaction/:uid': 'public',
};

/** HEAD follows GET, as Fastify serves it. */
export function policyFor(method: string, url: string): RoutePolicy | undefined {
  return policy[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
