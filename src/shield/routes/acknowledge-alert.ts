import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { actorOf } from '../../access/request-context.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../../access/access-policy.js';
import { acknowledgeAlert } from '../console.js';

const schema = {
  summary: 'Acquitter une alerte',
  description: 'Clôt une alerte du bouclier, une seule fois, avec le motif (vérifications faites, suite donnée) et le nom du responsable.',
  tags: [tags.security],
  // Bounded: a number past the database's bigint would fail the query, not the request.
  params: { type: 'object', required: ['alertId'], properties: { alertId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
  body: {
    type: 'object',
    required: ['motif'],
    additionalProperties: false,
    properties: { motif: { type: 'string', minLength: 3, maxLength: 1000, description: 'Ce qui a été vérifié et la suite donnée' } },
  },
  response: {
    200: {
      description: 'Alerte acquittée',
      type: 'object',
      required: ['alerte', 'acquittee'],
      properties: { alerte: { type: 'integer' }, acquittee: { type: 'boolean', enum: [true] } },
    },
    ...errorResponses('ALERT_UNKNOWN', 'ALERT_ALREADY_ACKNOWLEDGED'),
  },
} as const;

export function acknowledgeAlertRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.post<{ Params: { alertId: number }; Body: { motif: string } }>('/api/v1/security/alerts/:alertId/acknowledge', { schema }, async (request) => {
    await acknowledgeAlert(options.db, request.params.alertId, actorOf(contextOf(request, 'staff')), request.body.motif, options.now());
    return { alerte: request.params.alertId, acquittee: true };
  });
}
