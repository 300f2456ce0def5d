import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, idParam, tags } from '../../http/api-docs.js';
import { agentInsurer } from '../../invoices/insurer/invoice-view.js';
import { INSURER_LINES_SHOWN, insurerIncident } from '../insurer-incidents.js';
import { ownSnapshotSchema } from './insurer-incidents.js';
import { clockWithSnapshots } from './params.js';

const instant = { type: 'string', format: 'date-time' } as const;

const schema = {
  summary: 'Un incident : les lignes de mon organisme',
  description:
    'L’horloge de 72 heures et, par instantané figé, les seules lignes des adhérents de l’organisme de l’agent connecté (la sécurité de la base n’en lit pas d’autres) : ' +
    `ce qui a été vu, en mots, le nombre de personnes par catégorie, et les ${INSURER_LINES_SHOWN} premières lignes (premier et dernier accès, nombre d’accès). ` +
    'Aucun numéro d’adhérent : il ne sort que par l’export approuvé par deux responsables de la sécurité. Les preuves d’inclusion : GET /api/v1/insurer/incidents/snapshots/{snapshotId}/inclusion-proofs.',
  tags: [tags.insurer],
  params: idParam('incidentId'),
  response: {
    200: {
      description: 'L’incident, réduit à l’organisme',
      ...clockWithSnapshots({
        type: 'object',
        required: [...ownSnapshotSchema.required, 'parCategorie', 'lignes'],
        properties: {
          ...ownSnapshotSchema.properties,
          parCategorie: {
            type: 'array',
            items: {
              type: 'object',
              required: ['categorie', 'libelle', 'personnes'],
              properties: { categorie: { type: 'string', description: 'finalité:domaine, tel que le journal l’enregistre' }, libelle: { type: 'string' }, personnes: { type: 'integer' } },
            },
          },
          lignes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['vu', 'premierAcces', 'dernierAcces', 'acces'],
              properties: { vu: { type: 'array', items: { type: 'string' } }, premierAcces: instant, dernierAcces: instant, acces: { type: 'integer' } },
            },
          },
        },
      }),
    },
    ...errorResponses('INCIDENT_UNKNOWN'),
  },
} as const;

/** GET /api/v1/insurer/incidents/:incidentId */
export function insurerIncidentRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get<{ Params: { incidentId: number } }>('/api/v1/insurer/incidents/:incidentId', { schema }, (request) =>
    insurerIncident(options.db, agentInsurer(request), request.params.incidentId, options.now()),
  );
}
