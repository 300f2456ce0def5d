import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Access } from '../access/access.js';
import { devIdpRoutes } from '../access/people/dev-idp.js';
import { loginRoutes } from '../access/people/login-routes.js';
import { passkeyRoutes } from '../access/people/passkey-routes.js';
import type { People } from '../access/people/people.js';
import { sessionRoute } from '../access/routes/session.js';
import { securityRoutes } from '../access/routes/security.js';
import { siteClientKeyRoutes } from '../access/routes/site-client-keys.js';
import { siteClientRoutes } from '../access/routes/site-clients.js';
import { siteDelegationRoutes } from '../access/routes/site-delegations.js';
import { staffRoutes } from '../access/routes/staff.js';
import { tokenRoute } from '../access/routes/token.js';
import { insurerLoadsRoute } from '../registry/routes/insurer-loads.js';
import { landingRoute } from '../web/landing.js';
import { meRoute } from '../web/me.js';
import { enforcePolicy } from './plugins/access-policy.js';
import { registerErrorHandler } from './plugins/errors.js';
import { healthRoute } from './routes/health.js';

export interface ServerOptions {
  access: Access;
  /** People's logins; absent, the platform serves practice software only. */
  people?: People | undefined;
  logger?: boolean;
}

/**
 * Assembles the HTTP server: cross-cutting plugins first (errors, forms, the access
 * policy that every route must appear in), then each module's routes.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { access } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    // Duplicated JSON keys and prototype pollution are refused at parse time.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  registerErrorHandler(app);
  // Cookies are parsed before the access policy reads the session one.
  await app.register(cookie);
  enforcePolicy(app, access);
  await app.register(formbody);
  healthRoute(app, access.db);
  landingRoute(app, access.db, options.people !== undefined);
  tokenRoute(app, access);
  sessionRoute(app, access.db);
  if (options.people) {
    loginRoutes(app, access, options.people);
    passkeyRoutes(app, access, options.people);
    siteClientRoutes(app, access);
    siteClientKeyRoutes(app, access);
    siteDelegationRoutes(app, access);
    insurerLoadsRoute(app, access.db);
    securityRoutes(app, access);
    staffRoutes(app, access);
    meRoute(app, access.db);
    if (options.people.devIdp) devIdpRoutes(app, options.people.devIdp, access.db);
  }
  return app;
}
