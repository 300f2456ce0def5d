import type { FastifyPluginCallback } from 'fastify';
import type { InsurerInvoicesDeps } from './insurer-invoices.js';
import { insurerDueRoute } from './routes/insurer-due.js';
import { insurerExportRoute } from './routes/insurer-export.js';
import { insurerHeldRoute } from './routes/insurer-held.js';
import { insurerInvoicesRoute } from './routes/insurer-invoices.js';
import { insurerRejectionsRoute } from './routes/insurer-rejections.js';
import { insurerReviewRoute } from './routes/insurer-review.js';

/** An insurer's agents read the invoices decided for it (its scope only): the list, rejections by reason, what to fund per day, the export; and review its near duplicates held. */
export const insurerInvoicesPlugin: FastifyPluginCallback<InsurerInvoicesDeps> = (app, options, done) => {
  insurerInvoicesRoute(app, options);
  insurerRejectionsRoute(app, options);
  insurerDueRoute(app, options);
  insurerExportRoute(app, options);
  insurerHeldRoute(app, options);
  insurerReviewRoute(app, options);
  done();
};
