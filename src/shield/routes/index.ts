import type { FastifyInstance } from 'fastify';
import type { Access } from '../../access/access.js';
import type { Shield } from '../engine.js';
import { accountSignalsRoute } from './account-signals.js';
import { accountTimelineRoute } from './account-timeline.js';
import { acknowledgeAlertRoute } from './acknowledge-alert.js';
import { alertsRoute } from './alerts.js';
import { thresholdsRoute } from './thresholds.js';

/** The security console's view of the shield: alerts, their acknowledgement, an account's timeline and signals, the thresholds. */
export function shieldRoutes(app: FastifyInstance, access: Access, shield: Shield): void {
  alertsRoute(app, access);
  acknowledgeAlertRoute(app, access);
  accountTimelineRoute(app, access);
  accountSignalsRoute(app, access, shield);
  thresholdsRoute(app, shield);
}
