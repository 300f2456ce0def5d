import type { FastifyInstance } from 'fastify';
import type { Access } from '../../access/access.js';
import { approveMemberExportRoute } from './approve-member-export.js';
import { freezeIncidentRoute } from './freeze-incident.js';
import { getIncidentRoute } from './get-incident.js';
import { openIncidentRoute } from './open-incident.js';
import { requestMemberExportRoute } from './request-member-export.js';

/** The security team's incidents: open, freeze the exposed set, the 72-hour clock, four-eyes member files. */
export function incidentRoutes(app: FastifyInstance, access: Access): void {
  openIncidentRoute(app, access);
  getIncidentRoute(app, access);
  freezeIncidentRoute(app, access);
  requestMemberExportRoute(app, access);
  approveMemberExportRoute(app, access);
}
