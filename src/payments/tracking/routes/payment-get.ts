import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../../access/caller.js';
import { structureQuery } from '../../../claims/routes/prior-agreement-get.js';
import type { Database } from '../../../db/database.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { sitePayment } from '../tracking.js';
import { paymentIdPattern, paymentProperties, paymentRequired } from './schemas.js';

const schema = {
  summary: 'Le détail d’un virement',
  description:
    'Le relevé d’un virement pour la structure : chacune de ses factures payées (numéro sur la plateforme, lot et numéro du logiciel, montants demandé et payé), dans l’ordre des numéros, et les indus qu’il reprend. Ni le bénéficiaire ni les soins : la structure rapproche le virement des factures qu’elle a envoyées.',
  tags: [tags.care],
  params: { type: 'object', required: ['reference'], properties: { reference: { type: 'string', pattern: paymentIdPattern, description: 'Référence du virement' } } },
  querystring: structureQuery,
  response: {
    200: {
      description: 'Le virement et ses factures',
      type: 'object',
      required: [...paymentRequired, 'libelle', 'detail', 'indus'],
      properties: {
        ...paymentProperties,
        libelle: { type: 'string', description: 'Le libellé du virement sur le relevé bancaire' },
        indus: {
          type: 'array',
          description: 'Les montants repris par ce virement : factures de la structure déjà payées puis annulées',
          items: {
            type: 'object',
            required: ['numero', 'montant'],
            properties: { numero: { type: 'string', description: 'Numéro de la facture annulée' }, montant: { type: 'integer', description: 'Montant repris, en centimes' } },
          },
        },
        detail: {
          type: 'array',
          items: {
            type: 'object',
            required: ['numero', 'lot', 'numeroFacture', 'demande', 'paye'],
            properties: {
              numero: { type: 'string', description: 'Numéro de la décision sur la plateforme' },
              lot: { type: 'string' },
              numeroFacture: { type: 'string', description: 'Numéro de la facture dans le logiciel' },
              demande: { type: 'integer', description: 'Part complémentaire demandée, en centimes' },
              paye: { type: 'integer', description: 'Part payée par ce virement, en centimes' },
            },
          },
        },
      },
    },
    ...errorResponses('FIELD_INVALID', 'PAYMENT_UNKNOWN', 'SITE_UNKNOWN'),
  },
} as const;

/** GET /api/v1/payments/:reference */
export function paymentGetRoute(app: FastifyInstance, deps: { db: Database; now: () => Date }): void {
  app.get<{ Params: { reference: string }; Querystring: { structure?: string } }>('/api/v1/payments/:reference', { schema }, async (request) => {
    const caller = await callerOf(deps.db, request, request.query.structure, deps.now());
    return sitePayment(deps.db, caller.siteId, request.params.reference);
  });
}
