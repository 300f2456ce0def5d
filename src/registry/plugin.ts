import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import { insurerLoadsRoute } from './routes/insurer-loads.js';

/** Insurers' agents follow the files loaded for them. */
export const registryPlugin: FastifyPluginCallback<{ db: Database }> = (app, options, done) => {
  insurerLoadsRoute(app, options.db);
  done();
};
