import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import { approveMemberExportRoute } from './routes/approve-member-export.js';
import { freezeIncidentRoute } from './routes/freeze-incident.js';
import { getIncidentRoute } from './routes/get-incident.js';
import { insurerIncidentRoute } from './routes/insurer-incident.js';
import { insurerIncidentsRoute } from './routes/insurer-incidents.js';
import { insurerInclusionProofsRoute } from './routes/insurer-inclusion-proofs.js';
import { listIncidentsRoute } from './routes/list-incidents.js';
import { openIncidentRoute } from './routes/open-incident.js';
import { packageDocumentRoute } from './routes/package-document.js';
import { requestMemberExportRoute } from './routes/request-member-export.js';

export interface IncidentsOptions {
  db: Database;
  now: () => Date;
}

/** The security team's incidents: open, freeze the exposed set, the 72-hour clock, four-eyes member files; each insurer's own lines. */
export const incidentsPlugin: FastifyPluginCallback<IncidentsOptions> = (app, options, done) => {
  listIncidentsRoute(app, options);
  openIncidentRoute(app, options);
  getIncidentRoute(app, options);
  freezeIncidentRoute(app, options);
  requestMemberExportRoute(app, options);
  approveMemberExportRoute(app, options);
  insurerIncidentsRoute(app, options);
  insurerIncidentRoute(app, options);
  insurerInclusionProofsRoute(app, options);
  packageDocumentRoute(app, options);
  done();
};
