import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import { healthRoute } from './routes/health.js';
import { insurersRoute } from './routes/insurers.js';

/** The operator's administration (operator_admin): its insurers and the platform's state. Staff accounts are src/access's. */
export const operationsPlugin: FastifyPluginCallback<{ db: Database; now: () => Date }> = (app, options, done) => {
  healthRoute(app, options);
  insurersRoute(app, options);
  done();
};
