import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import type { Assets } from './assets/store.js';
import { staticRoute } from './assets/serve.js';
import { careRoute } from './pages/care.js';
import { invoicesRoute } from './pages/invoices.js';
import { landingRoute } from './pages/landing.js';
import { meRoute } from './pages/me.js';
import { securityAccountRoute } from './pages/security-account.js';
import { securityAlertsRoute } from './pages/security-alerts.js';
import { securityIncidentRoute } from './pages/security-incident.js';
import { securityIncidentsRoute } from './pages/security-incidents.js';

/** The home page (counts only, and the login when people can log in) and the bundled browser code and stylesheet. */
export const landingPlugin: FastifyPluginCallback<{ db: Database; canLogIn: boolean; assets: Assets }> = (app, options, done) => {
  staticRoute(app, options.assets);
  landingRoute(app, options);
  done();
};

/** Logged-in people's pages: their account, the care page, the invoices' returns, the security console. */
export const personPagesPlugin: FastifyPluginCallback<{ db: Database; now: () => Date; assets: Assets }> = (app, options, done) => {
  meRoute(app, options);
  careRoute(app, options);
  invoicesRoute(app, options);
  securityAlertsRoute(app, options);
  securityAccountRoute(app, options);
  securityIncidentsRoute(app, options);
  securityIncidentRoute(app, options);
  done();
};
