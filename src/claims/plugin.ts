import type { FastifyPluginCallback } from 'fastify';
import type { RightsDeps } from '../rights/check-rights.js';
import { coverageCalculateRoute } from './routes/coverage-calculate.js';

export type ClaimsOptions = RightsDeps & { now: () => Date };

/** The calculation of the insurer's share (CLC), on an engagement of the rights check. */
export const claimsPlugin: FastifyPluginCallback<ClaimsOptions> = (app, options, done) => {
  coverageCalculateRoute(app, options);
  done();
};
