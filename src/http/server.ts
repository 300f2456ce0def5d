import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { landingRoute } from '../web/landing.js';
import { registerErrorHandler } from './plugins/errors.js';
import { healthRoute } from './routes/health.js';

export interface ServerOptions {
  db: Database;
  logger?: boolean;
}

/** Assembles the HTTP server: cross-cutting plugins first, then each module's routes. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    // Duplicated JSON keys and prototype pollution are refused at parse time.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  registerErrorHandler(app);
  healthRoute(app, options.db);
  landingRoute(app, options.db);
  return app;
}
