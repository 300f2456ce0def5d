import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, idParam, tags } from '../../http/api-docs.js';
import { contextOf } from '../../access/access-policy.js';
import { requestMemberExport } from '../member-export.js';
import { officerOf, showApprovals } from './officer.js';
import { approvalsSchema } from './params.js';

const schema = {
  summary: 'Demander l’export des adhérents à notifier',
  description:
    'Demande la levée de la pseudonymisation d’un instantané (numéros d’adhérent et rangs, par organisme). La demande vaut ' +
    'première approbation ; un second responsable de la sécurité doit approuver. Chaque approbation est inscrite au journal d’accès.',
  tags: [tags.security],
  params: idParam('snapshotId'),
  body: {
    type: 'object',
    required: ['motif'],
    additionalProperties: false,
    properties: { motif: { type: 'string', minLength: 3, maxLength: 500, description: 'Pourquoi ces numéros sont nécessaires' } },
  },
  response: { 201: { description: 'La demande', ...approvalsSchema }, ...errorResponses('INCIDENT_SNAPSHOT_UNKNOWN', 'AUTH_FORBIDDEN') },
} as const;

export function requestMemberExportRoute(app: FastifyInstance, options: { db: Database }): void {
  app.post<{ Params: { snapshotId: number }; Body: { motif: string } }>('/api/v1/incidents/snapshots/:snapshotId/member-exports', { schema }, async (request, reply) => {
    const approvals = await requestMemberExport(options.db, request.params.snapshotId, request.body.motif, officerOf(contextOf(request, 'staff'), request.ip));
    return reply.code(201).send(showApprovals(approvals));
  });
}
