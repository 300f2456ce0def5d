import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import { logStatusRoute } from './routes/log-status.js';

/** The access log as the security console reads it: its last verification and its witnesses. */
export const auditConsolePlugin: FastifyPluginCallback<{ db: Database }> = (app, options, done) => {
  logStatusRoute(app, options);
  done();
};
