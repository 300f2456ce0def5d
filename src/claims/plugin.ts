import type { FastifyPluginCallback } from 'fastify';
import type { RightsDeps } from '../rights/check-rights.js';
import { coverageCalculateRoute } from './routes/coverage-calculate.js';
import { priorAgreementCancelRoute } from './routes/prior-agreement-cancel.js';
import { priorAgreementGetRoute } from './routes/prior-agreement-get.js';
import { priorAgreementRequestRoute } from './routes/prior-agreement-request.js';

export type ClaimsOptions = RightsDeps & { now: () => Date };

/** The calculation of the insurer's share (CLC) and prior agreements (PEC), on an engagement of the rights check. */
export const claimsPlugin: FastifyPluginCallback<ClaimsOptions> = (app, options, done) => {
  coverageCalculateRoute(app, options);
  priorAgreementRequestRoute(app, options);
  priorAgreementGetRoute(app, options);
  priorAgreementCancelRoute(app, options);
  done();
};
