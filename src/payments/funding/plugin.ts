import type { FastifyPluginCallback } from 'fastify';
import type { InsurerInvoicesDeps } from '../../invoices/insurer/insurer-invoices.js';
import { fundingDaysRoute } from './routes/funding-days.js';
import { fundingMonthRoute } from './routes/funding-month.js';

/** What each insurer funds of the payment runs (issue 18, point 6), for its agents, under its row-level scope. */
export const insurerFundingPlugin: FastifyPluginCallback<InsurerInvoicesDeps> = (app, options, done) => {
  fundingDaysRoute(app, options);
  fundingMonthRoute(app, options);
  done();
};
