import type { FastifyPluginCallback } from 'fastify';
import type { RightsDeps } from '../rights/check-rights.js';
import { engagementCancelRoute } from './routes/engagement-cancel.js';
import { invoiceCancelRoute } from './routes/invoice-cancel.js';
import { invoiceGetRoute } from './routes/invoice-get.js';
import type { LotWorker } from './lot-worker.js';
import { invoiceLotRoute } from './routes/invoice-lot.js';
import { invoiceLotStatusRoute } from './routes/invoice-lot-status.js';
import { invoiceReturnsRoute } from './routes/invoice-returns.js';
import { invoiceReturns580Route } from './routes/invoice-returns-580.js';

/** `lots` decides the lots kept for later (Prefer: respond-async): their intake wakes it. */
export type InvoicesOptions = RightsDeps & { now: () => Date; lots: Pick<LotWorker, 'wake'> };

/** Invoices (DRE) under an engagement or a prior agreement: lots (decided at once, or kept and followed), the decision of each, cancellations and corrections, the returns; an engagement's cancellation. */
export const invoicesPlugin: FastifyPluginCallback<InvoicesOptions> = (app, options, done) => {
  invoiceLotRoute(app, options);
  invoiceLotStatusRoute(app, options);
  invoiceGetRoute(app, options);
  invoiceCancelRoute(app, options);
  invoiceReturnsRoute(app, options);
  invoiceReturns580Route(app, options);
  engagementCancelRoute(app, options);
  done();
};
