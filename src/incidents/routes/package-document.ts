import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { noticeContext } from '../notice-defaults.js';
import { DOCUMENT_FILES, packageDocument } from '../package-documents.js';

const schema = {
  summary: 'Un document du dossier de notification d’un organisme',
  description:
    'Pour une demande d’export approuvée par deux responsables : le projet de notification à la CNIL, la notice du sous-traitant ou le modèle ' +
    'de lettre aux adhérents d’un organisme (PDF ou Markdown). Des nombres, des catégories et des dates, aucun adhérent : le fichier des ' +
    'adhérents à notifier s’écrit avec `rempart incident export`, sur le poste de la console.',
  tags: [tags.security],
  params: {
    type: 'object',
    required: ['exportId', 'amc', 'document'],
    properties: {
      exportId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
      amc: { type: 'string', pattern: '^[0-9A-Z]{1,16}$', description: 'Numéro AMC de l’organisme' },
      document: { type: 'string', enum: DOCUMENT_FILES },
    },
  },
  response: {
    200: {
      description: 'Le document, en pièce jointe',
      content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'text/markdown': { schema: { type: 'string' } } },
    },
    ...errorResponses('MEMBER_EXPORT_UNKNOWN', 'MEMBER_EXPORT_NOT_APPROVED', 'NOT_FOUND'),
  },
} as const;

export function packageDocumentRoute(app: FastifyInstance, options: { db: Database }): void {
  app.get<{ Params: { exportId: number; amc: string; document: string } }>(
    '/api/v1/incidents/member-exports/:exportId/documents/:amc/:document',
    { schema },
    async (request, reply) => {
      const { exportId, amc, document } = request.params;
      const found = await packageDocument(options.db, exportId, amc, document, noticeContext(process.env));
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${amc}-${document}"`)
        .type(found.type)
        .send(found.body);
    },
  );
}
