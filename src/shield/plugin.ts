import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import type { Shield } from './engine.js';
import { accountSignalsRoute } from './routes/account-signals.js';
import { accountTimelineRoute } from './routes/account-timeline.js';
import { acknowledgeAlertRoute } from './routes/acknowledge-alert.js';
import { alertsRoute } from './routes/alerts.js';
import { thresholdsRoute } from './routes/thresholds.js';

export interface ShieldConsoleOptions {
  db: Database;
  now: () => Date;
  shield: Shield;
}

/** The security console's view of the shield: alerts, their acknowledgement, an account's timeline and signals, the thresholds. */
export const shieldConsolePlugin: FastifyPluginCallback<ShieldConsoleOptions> = (app, options, done) => {
  alertsRoute(app, options);
  acknowledgeAlertRoute(app, options);
  accountTimelineRoute(app, options);
  accountSignalsRoute(app, options, options.shield);
  thresholdsRoute(app, options.shield);
  done();
};
