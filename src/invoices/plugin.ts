import type { FastifyPluginCallback } from 'fastify';
import type { RightsDeps } from '../rights/check-rights.js';
import { invoiceGetRoute } from './routes/invoice-get.js';
import { invoiceLotRoute } from './routes/invoice-lot.js';

export type InvoicesOptions = RightsDeps & { now: () => Date };

/** Invoices (DRE) under an engagement or a prior agreement: lots, and the decision of each. */
export const invoicesPlugin: FastifyPluginCallback<InvoicesOptions> = (app, options, done) => {
  invoiceLotRoute(app, options);
  invoiceGetRoute(app, options);
  done();
};
