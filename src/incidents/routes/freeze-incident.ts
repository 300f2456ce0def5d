import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, idParam, tags } from '../../http/api-docs.js';
import { freezeSnapshot } from '../snapshot.js';

const schema = {
  summary: 'Figer l’ensemble exposé d’un incident',
  description:
    'Calcule, depuis le journal d’accès, exactement qui a été exposé (par organisme : quelles données, quand, combien de fois), ' +
    'contre le dernier point de contrôle signé, et le fige en un instantané que personne ne peut modifier.',
  tags: [tags.security],
  params: idParam('incidentId'),
  response: {
    201: {
      description: 'L’instantané',
      type: 'object',
      required: ['instantane', 'tailleArbre', 'racine', 'personnes', 'acces'],
      properties: { instantane: { type: 'integer' }, tailleArbre: { type: 'integer' }, racine: { type: 'string' }, personnes: { type: 'integer' }, acces: { type: 'integer' } },
    },
    ...errorResponses('INCIDENT_UNKNOWN', 'INCIDENT_NOTHING_SIGNED'),
  },
} as const;

export function freezeIncidentRoute(app: FastifyInstance, options: { db: Database }): void {
  app.post<{ Params: { incidentId: number } }>('/api/v1/incidents/:incidentId/snapshots', { schema }, async (request, reply) => {
    const snapshot = await freezeSnapshot(options.db, request.params.incidentId);
    return reply.code(201).send({ instantane: snapshot.id, tailleArbre: snapshot.treeSize, racine: snapshot.rootHash, personnes: snapshot.beneficiaries, acces: snapshot.records });
  });
}
