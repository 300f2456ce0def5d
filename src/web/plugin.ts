import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import type { Assets } from './assets/store.js';
import { staticRoute } from './assets/serve.js';
import { administrationRoute } from './pages/administration.js';
import { agreementsRoute } from './pages/agreements.js';
import { careRoute } from './pages/care.js';
import { insurerFundingPageRoute } from './pages/insurer-funding.js';
import { insurerHomeRoute } from './pages/insurer-home.js';
import { insurerIncidentsPageRoute } from './pages/insurer-incidents.js';
import { insurerInvoicesPageRoute } from './pages/insurer-invoices.js';
import { invoicesRoute } from './pages/invoices.js';
import { landingRoute } from './pages/landing.js';
import { meRoute } from './pages/me.js';
import { paymentsRoute } from './pages/payments.js';
import { securityAccountRoute } from './pages/security-account.js';
import { securityAlertsRoute } from './pages/security-alerts.js';
import { siteAdminRoute } from './pages/site-admin.js';
import { securityIncidentRoute } from './pages/security-incident.js';
import { securityIncidentsRoute } from './pages/security-incidents.js';

/** The home page (counts only, and the login when people can log in) and the bundled browser code and stylesheet. */
export const landingPlugin: FastifyPluginCallback<{ db: Database; canLogIn: boolean; assets: Assets }> = (app, options, done) => {
  staticRoute(app, options.assets);
  landingRoute(app, options);
  done();
};

/** Logged-in people's pages: their account, the care page, the invoices' returns, prior agreements, payments, the site's administration, the security console, the insurer console, the operator's administration. */
export const personPagesPlugin: FastifyPluginCallback<{ db: Database; now: () => Date; assets: Assets }> = (app, options, done) => {
  meRoute(app, options);
  careRoute(app, options);
  invoicesRoute(app, options);
  agreementsRoute(app, options);
  paymentsRoute(app, options);
  siteAdminRoute(app, options);
  securityAlertsRoute(app, options);
  securityAccountRoute(app, options);
  administrationRoute(app, options);
  insurerHomeRoute(app, options);
  insurerInvoicesPageRoute(app, options);
  insurerFundingPageRoute(app, options);
  insurerIncidentsPageRoute(app, options);
  securityIncidentsRoute(app, options);
  securityIncidentRoute(app, options);
  done();
};
