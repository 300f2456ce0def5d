import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Access } from '../access/access.js';
import { sessionRoute } from '../access/routes/session.js';
import { tokenRoute } from '../access/routes/token.js';
import { landingRoute } from '../web/landing.js';
import { enforcePolicy } from './plugins/access-policy.js';
import { registerErrorHandler } from './plugins/errors.js';
import { healthRoute } from './routes/health.js';

export interface ServerOptions {
  access: Access;
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
  enforcePolicy(app, access);
  await app.register(formbody);
  healthRoute(app, access.db);
  landingRoute(app, access.db);
  tokenRoute(app, access);
  sessionRoute(app, access.db);
  return app;
}
