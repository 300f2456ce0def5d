import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, idParam, tags } from '../../http/api-docs.js';
import { incidentView } from '../view.js';
import { categoriesSchema, exportSchema, scopeSchema } from './view-schemas.js';
import { clockWithSnapshots, snapshotProperties, snapshotRequired } from './params.js';

/** The clock and every snapshot, each insurer's share with what was seen. */
const incident = clockWithSnapshots({
  type: 'object',
  required: [...snapshotRequired, 'organismes'],
  properties: {
    ...snapshotProperties,
    organismes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['amc', 'nom', 'personnes', 'acces', 'categories'],
        properties: { amc: { type: 'string' }, nom: { type: 'string' }, personnes: { type: 'integer' }, acces: { type: 'integer' }, categories: categoriesSchema },
      },
    },
  },
});

const schema = {
  summary: 'Un incident et son horloge de 72 heures',
  description:
    'L’incident, son périmètre, l’heure de sa détection, l’échéance des notifications à la CNIL (72 heures, RGPD art. 33), le temps restant, ' +
    'chaque instantané figé de l’ensemble exposé (point de contrôle signé ; par organisme, personnes et accès, et ce qui a été vu, quand) ' +
    'et les demandes d’export des adhérents avec leurs approbations.',
  tags: [tags.security],
  params: idParam('incidentId'),
  response: {
    200: {
      description: 'L’incident',
      ...incident,
      // The officers' read adds the incident's scope and its four-eyes requests to the clock and snapshots.
      required: [...incident.required, 'perimetre', 'demandes'],
      properties: { ...incident.properties, perimetre: scopeSchema, demandes: { type: 'array', items: exportSchema } },
    },
    ...errorResponses('INCIDENT_UNKNOWN'),
  },
} as const;

export function getIncidentRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get<{ Params: { incidentId: number } }>('/api/v1/incidents/:incidentId', { schema }, (request) => incidentView(options.db, request.params.incidentId, options.now()));
}
