import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/database.js';
import { tags } from '../../../http/api-docs.js';
import { pendingChanges } from '../store.js';
import { accountSchema } from './schemas.js';

const schema = {
  summary: 'Les changements de compte bancaire à confirmer',
  description:
    'Pour l’opérateur : chaque changement proposé par une structure et pas encore confirmé ni annulé, du plus ancien au plus récent. ' +
    'Ceux proposés depuis un appareil ou un réseau nouveau n’attendent que lui. L’IBAN reste masqué : on le vérifie avec la structure, hors de la plateforme.',
  tags: [tags.staff],
  response: {
    200: {
      type: 'array',
      items: {
        ...accountSchema,
        type: 'object',
        required: [...accountSchema.required, 'site', 'structure', 'nom', 'proposePar'],
        properties: {
          ...accountSchema.properties,
          site: { type: 'integer', description: 'Identifiant de la structure, pour la confirmation' },
          structure: { type: 'string', description: 'FINESS ou SIRET' },
          nom: { type: 'string' },
          proposePar: { type: 'string' },
        },
      },
    },
  },
} as const;

export function pendingChangesRoute(app: FastifyInstance, options: { db: Database }): void {
  app.get('/api/v1/admin/bank-account-changes', { schema }, async () =>
    (await pendingChanges(options.db)).map(({ siteId, site, ...change }) => ({ ...change, site: siteId, nom: site })),
  );
}
