import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Access } from '../access/access.js';
import { sessionRoute } from '../access/routes/session.js';
import { tokenRoute } from '../access/routes/token.js';
import { landingRoute } from '../web/landing.js';
import { requireClient } from './plugins/client-auth.js';
import { registerErrorHandler } from './plugins/errors.js';
import { healthRoute } from './routes/health.js';

export interface ServerOptions {
  access: Access;
  logger?: boolean;
}

/**
 * Assembles the HTTP server: cross-cutting plugins first, then public routes, then the
 * API, whose every route sits behind client authentication.
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
  await app.register(formbody);
  healthRoute(app, access.db);
  landingRoute(app, access.db);
  tokenRoute(app, access);
  await app.register((api, _options, done) => {
    requireClient(api, access);
    sessionRoute(api, access.db);
    done();
  });
  return app;
}
