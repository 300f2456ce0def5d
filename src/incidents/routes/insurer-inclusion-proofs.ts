import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, idParam, tags } from '../../http/api-docs.js';
import { agentInsurer } from '../../invoices/insurer/invoice-view.js';
import { inclusionFile, PROOFS_PER_INSURER } from '../inclusion-file.js';
import { checkOwnSnapshot } from '../insurer-incidents.js';
import { INCLUSION_FILE_NAME } from '../notification.js';

const schema = {
  summary: 'Les preuves d’inclusion de mon organisme dans un instantané',
  description:
    `Le fichier ${INCLUSION_FILE_NAME} du paquet de l’organisme : pour au plus ${PROOFS_PER_INSURER} de ses adhérents exposés (tirés par un hachage de la racine signée), ` +
    'l’accès de leur première exposition, ses octets de feuille et son chemin jusqu’à la racine : l’organisme vérifie lui-même que l’ensemble figé n’a pas été réduit. ' +
    'Identifiants internes seulement, aucun numéro d’adhérent. Un instantané sans ligne de l’organisme est inconnu.',
  tags: [tags.insurer],
  params: idParam('snapshotId'),
  response: {
    200: { description: 'Le fichier JSON, en pièce jointe', content: { 'application/json': { schema: { type: 'object' } } } },
    ...errorResponses('INCIDENT_SNAPSHOT_UNKNOWN'),
  },
} as const;

/** GET /api/v1/insurer/incidents/snapshots/:snapshotId/inclusion-proofs */
export function insurerInclusionProofsRoute(app: FastifyInstance, options: { db: Database }): void {
  app.get<{ Params: { snapshotId: number } }>('/api/v1/insurer/incidents/snapshots/:snapshotId/inclusion-proofs', { schema }, async (request, reply) => {
    const insurerId = agentInsurer(request);
    const { snapshotId } = request.params;
    await checkOwnSnapshot(options.db, insurerId, snapshotId);
    const file = await inclusionFile(options.db, snapshotId, insurerId);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="instantane-${snapshotId}-${INCLUSION_FILE_NAME}"`)
      .send(JSON.stringify(file, null, 2));
  });
}
