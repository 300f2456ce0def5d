import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, idParam, tags } from '../../http/api-docs.js';
import { contextOf } from '../../access/access-policy.js';
import { approveMemberExport } from '../member-export.js';
import { officerOf, showApprovals } from './officer.js';
import { approvalsSchema } from './params.js';

const schema = {
  summary: 'Approuver l’export des adhérents à notifier',
  description: 'Seconde approbation, par un autre responsable de la sécurité que le demandeur ; inscrite au journal d’accès.',
  tags: [tags.security],
  params: idParam('exportId'),
  response: { 200: { description: 'La demande', ...approvalsSchema }, ...errorResponses('MEMBER_EXPORT_UNKNOWN', 'MEMBER_EXPORT_SAME_OFFICER', 'AUTH_FORBIDDEN') },
} as const;

export function approveMemberExportRoute(app: FastifyInstance, options: { db: Database }): void {
  app.post<{ Params: { exportId: number } }>('/api/v1/incidents/member-exports/:exportId/approvals', { schema }, async (request) =>
    showApprovals(await approveMemberExport(options.db, request.params.exportId, officerOf(contextOf(request, 'staff'), request.ip))),
  );
}
