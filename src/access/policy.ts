/**
 * Who may call what: one declared table for the whole platform. The server refuses to
 * start with a route missing from it, and a test walks every route × every role.
 * Roles to come with people's logins (access issue): professional, site administrator,
 * insurer agent, security officer, operator admin.
 */
export type Role = 'client';

export type RoutePolicy = 'public' | readonly Role[];

export const policy: Readonly<Record<string, RoutePolicy>> = {
  'GET /': 'public',
  'GET /health': 'public',
  'POST /oauth/token': 'public',
  'GET /api/v1/session': ['client'],
};

/** HEAD follows GET, as Fastify serves it. */
export function policyFor(method: string, url: string): RoutePolicy | undefined {
  return policy[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
