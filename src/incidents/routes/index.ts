import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../../db/database.js';
import { approveMemberExportRoute } from './approve-member-export.js';
import { freezeIncidentRoute } from './freeze-incident.js';
import { getIncidentRoute } from './get-incident.js';
import { openIncidentRoute } from './open-incident.js';
import { requestMemberExportRoute } from './request-member-export.js';

export interface IncidentsOptions {
  db: Database;
  now: () => Date;
}

/** The security team's incidents: open, freeze the exposed set, the 72-hour clock, four-eyes member files. */
export const incidentsPlugin: FastifyPluginCallback<IncidentsOptions> = (app, options, done) => {
  openIncidentRoute(app, options);
  getIncidentRoute(app, options);
  freezeIncidentRoute(app, options);
  requestMemberExportRoute(app, options);
  approveMemberExportRoute(app, options);
  done();
};
