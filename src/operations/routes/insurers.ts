import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { insurersOverview } from '../insurers.js';

const schema = {
  summary: 'Les organismes de la plateforme',
  description: 'Chaque organisme complémentaire : numéro AMC, nom, nature, nombre d’agents, et l’arrivée de ses fichiers (nombre, dernier chargement, lignes rejetées du dernier).',
  tags: [tags.staff],
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: ['amc', 'nom', 'nature', 'depuis', 'agents', 'chargements'],
        properties: {
          amc: { type: 'string' },
          nom: { type: 'string' },
          nature: { type: 'string', enum: ['mutuelle', 'assureur', 'institution_prevoyance'] },
          depuis: { type: 'string', format: 'date-time' },
          agents: { type: 'integer' },
          chargements: {
            type: 'object',
            required: ['fichiers', 'dernierLe', 'dernierRejets'],
            properties: {
              fichiers: { type: 'integer' },
              dernierLe: { type: ['string', 'null'], format: 'date-time' },
              dernierRejets: { type: ['integer', 'null'], description: 'Lignes rejetées du dernier fichier' },
            },
          },
        },
      },
    },
  },
} as const;

export function insurersRoute(app: FastifyInstance, options: { db: Database }): void {
  app.get('/api/v1/admin/insurers', { schema }, async () =>
    (await insurersOverview(options.db)).map((insurer) => ({
      amc: insurer.amcNumber, nom: insurer.name, nature: insurer.kind, depuis: insurer.since.toISOString(), agents: insurer.agents,
      chargements: { fichiers: insurer.loads.files, dernierLe: insurer.loads.lastAt?.toISOString() ?? null, dernierRejets: insurer.loads.lastRejected },
    })),
  );
}
