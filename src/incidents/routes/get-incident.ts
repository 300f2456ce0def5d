import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, idParam, tags } from '../../http/api-docs.js';
import { incidentView } from '../view.js';
import { clockWithSnapshots, snapshotProperties, snapshotRequired } from './params.js';

const schema = {
  summary: 'Un incident et son horloge de 72 heures',
  description:
    'L’incident, l’heure de sa détection, l’échéance des notifications à la CNIL (72 heures, RGPD art. 33), le temps restant, ' +
    'et chaque instantané figé de l’ensemble exposé (point de contrôle signé, personnes et accès par organisme).',
  tags: [tags.security],
  params: idParam('incidentId'),
  response: {
    200: {
      description: 'L’incident',
      ...clockWithSnapshots({
        type: 'object',
        required: [...snapshotRequired, 'organismes'],
        properties: {
          ...snapshotProperties,
          organismes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['amc', 'nom', 'personnes', 'acces'],
              properties: { amc: { type: 'string' }, nom: { type: 'string' }, personnes: { type: 'integer' }, acces: { type: 'integer' } },
            },
          },
        },
      }),
    },
    ...errorResponses('INCIDENT_UNKNOWN'),
  },
} as const;

export function getIncidentRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get<{ Params: { incidentId: number } }>('/api/v1/incidents/:incidentId', { schema }, (request) => incidentView(options.db, request.params.incidentId, options.now()));
}
