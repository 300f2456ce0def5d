import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { incidentLines } from '../view.js';
import { clockProperties, clockRequired } from './params.js';

const schema = {
  summary: 'Les incidents et leur horloge de 72 heures',
  description: 'Les 200 derniers incidents ouverts, du plus récent au plus ancien : échéance des notifications, temps restant, personnes du dernier instantané figé.',
  tags: [tags.security],
  response: {
    200: {
      description: 'Les incidents',
      type: 'array',
      items: {
        type: 'object',
        required: [...clockRequired, 'alerte', 'personnes'],
        properties: {
          ...clockProperties,
          alerte: { type: ['integer', 'null'], description: 'L’alerte du bouclier d’où il vient' },
          personnes: { type: ['integer', 'null'], description: 'Personnes exposées au dernier instantané ; null avant le premier' },
        },
      },
    },
  },
} as const;

export function listIncidentsRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get('/api/v1/incidents', { schema }, () => incidentLines(options.db, options.now()));
}
