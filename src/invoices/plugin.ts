import type { FastifyPluginCallback } from 'fastify';
import type { RightsDeps } from '../rights/check-rights.js';
import { engagementCancelRoute } from './routes/engagement-cancel.js';
import { invoiceCancelRoute } from './routes/invoice-cancel.js';
import { invoiceGetRoute } from './routes/invoice-get.js';
import { invoiceLotRoute } from './routes/invoice-lot.js';
import { invoiceReturnsRoute } from './routes/invoice-returns.js';

export type InvoicesOptions = RightsDeps & { now: () => Date };

/** Invoices (DRE) under an engagement or a prior agreement: lots, the decision of each, cancellations and corrections, the returns; an engagement's cancellation. */
export const invoicesPlugin: FastifyPluginCallback<InvoicesOptions> = (app, options, done) => {
  invoiceLotRoute(app, options);
  invoiceGetRoute(app, options);
  invoiceCancelRoute(app, options);
  invoiceReturnsRoute(app, options);
  engagementCancelRoute(app, options);
  done();
};
