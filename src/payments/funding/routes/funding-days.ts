import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../../http/api-docs.js';
import type { InsurerInvoicesDeps } from '../../../invoices/insurer/insurer-invoices.js';
import { periodQuery, readForAgent, type PeriodQuery } from '../../../invoices/insurer/invoice-view.js';
import { fundingDays } from '../funding.js';

const schema = {
  summary: 'Ce que mon organisme finance, par jour de paiement',
  description:
    'Pour l’organisme de l’agent connecté, chaque jour de paiement de la période (par défaut aujourd’hui) : ses factures payées ce jour-là, ses indus déduits des virements, et le montant à financer (négatif quand ses indus dépassent ses factures). Le relevé mensuel : GET /api/v1/insurer/funding/{mois}.csv.',
  tags: [tags.insurer],
  querystring: { type: 'object', additionalProperties: false, properties: periodQuery },
  response: {
    200: {
      description: 'Un relevé par jour de paiement, dans l’ordre des jours',
      type: 'array',
      items: {
        type: 'object',
        required: ['jour', 'factures', 'montantFactures', 'recuperations', 'montantRecupere', 'aFinancer'],
        properties: {
          jour: { type: 'string', format: 'date' },
          factures: { type: 'integer' },
          montantFactures: { type: 'integer', description: 'Centimes' },
          recuperations: { type: 'integer' },
          montantRecupere: { type: 'integer', description: 'Centimes' },
          aFinancer: { type: 'integer', description: 'Centimes : montantFactures − montantRecupere' },
        },
      },
    },
    ...errorResponses('FIELD_UNKNOWN', 'DATE_INVALID', 'PERIOD_INVALID', 'PERIOD_TOO_LONG'),
  },
} as const;

/** GET /api/v1/insurer/funding */
export function fundingDaysRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get<{ Querystring: PeriodQuery }>('/api/v1/insurer/funding', { schema }, (request) => readForAgent(request, deps, fundingDays));
}
