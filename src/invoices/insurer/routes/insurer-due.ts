import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { dueByDay, type InsurerInvoicesDeps } from '../insurer-invoices.js';
import { periodQuery, readForAgent, type PeriodQuery } from '../invoice-view.js';

const schema = {
  summary: 'Les montants à financer par mon organisme, par jour',
  description:
    'Pour l’organisme de l’agent connecté, par jour de décision (UTC) de la période (par défaut aujourd’hui) : la somme des parts payées de ses factures payées ou payées partiellement, ce qu’il doit financer, et leur nombre. Les jours sans facture payée n’apparaissent pas. Les annulations et les virements (à venir) viendront en déduction.',
  tags: [tags.insurer],
  querystring: { type: 'object', additionalProperties: false, properties: periodQuery },
  response: {
    200: {
      description: 'Un total par jour, dans l’ordre des jours',
      type: 'array',
      items: {
        type: 'object',
        required: ['jour', 'factures', 'aFinancer'],
        properties: {
          jour: { type: 'string', format: 'date' },
          factures: { type: 'integer', description: 'Factures payées ou payées partiellement ce jour-là' },
          aFinancer: { type: 'integer', description: 'Somme de leurs parts payées, en centimes' },
        },
      },
    },
    ...errorResponses('FIELD_UNKNOWN', 'DATE_INVALID', 'PERIOD_INVALID', 'PERIOD_TOO_LONG'),
  },
} as const;

/** GET /api/v1/insurer/invoices/due */
export function insurerDueRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get<{ Querystring: PeriodQuery }>('/api/v1/insurer/invoices/due', { schema }, async (request) => {
    const days = await readForAgent(request, deps, dueByDay);
    return days.map((day) => ({ jour: day.day, factures: day.invoices, aFinancer: day.due_cents }));
  });
}
