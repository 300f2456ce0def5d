import type { FastifyPluginCallback } from 'fastify';
import type { RightsDeps } from './check-rights.js';
import { rightsCheckRoute } from './routes/rights-check.js';

export type RightsOptions = RightsDeps & { now: () => Date };

/** The rights check (IDB) of practice software and professionals. */
export const rightsPlugin: FastifyPluginCallback<RightsOptions> = (app, options, done) => {
  rightsCheckRoute(app, options);
  done();
};
