import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../../access/access-policy.js';
import { administeredSite, structureSchema } from '../../../access/sites.js';
import type { Database } from '../../../db/database.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { accountsOf } from '../store.js';
import { accountSchema } from './schemas.js';

const schema = {
  summary: 'Le compte bancaire d’une structure',
  description: 'Le compte où sont payés les paiements de la structure, et le changement en attente s’il y en a un. L’IBAN n’est montré que par ses 4 derniers caractères.',
  tags: [tags.site],
  querystring: { type: 'object', required: ['structure'], additionalProperties: false, properties: { structure: structureSchema } },
  response: {
    200: {
      description: 'Le compte en vigueur et le changement en attente (null : aucun)',
      type: 'object',
      required: ['enVigueur', 'changement'],
      properties: { enVigueur: accountSchema, changement: accountSchema },
    },
    ...errorResponses('SITE_UNKNOWN'),
  },
} as const;

export function bankAccountViewRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get<{ Querystring: { structure: string } }>('/api/v1/site/bank-account', { schema }, async (request) => {
    const { adminSites } = contextOf(request, 'professional');
    const siteId = await administeredSite(options.db, adminSites, request.query.structure);
    return accountsOf(options.db, siteId, options.now());
  });
}
