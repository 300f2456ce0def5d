import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../../db/database.js';
import { paymentGetRoute } from './routes/payment-get.js';
import { paymentsListRoute } from './routes/payments-list.js';

/** A site's payments (issue 18, point 5), for its software and its professionals on the pages. */
export const paymentTrackingPlugin: FastifyPluginCallback<{ db: Database; now: () => Date }> = (app, options, done) => {
  paymentsListRoute(app, options);
  paymentGetRoute(app, options);
  done();
};
