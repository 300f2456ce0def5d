import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../../http/api-docs.js';
import type { InsurerInvoicesDeps } from '../../../invoices/insurer/insurer-invoices.js';
import { agentInsurer } from '../../../invoices/insurer/invoice-view.js';
import { fundingCsv, fundingDays, monthPeriod } from '../funding.js';

const schema = {
  summary: 'Le relevé mensuel de financement de mon organisme (CSV)',
  description: 'Les relevés des jours de paiement du mois, un par ligne, puis le total du mois : CSV séparé par des points-virgules, montants en centimes.',
  tags: [tags.insurer],
  params: { type: 'object', required: ['month'], properties: { month: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}\\.csv$', description: 'Le mois, AAAA-MM, suivi de .csv' } } },
  response: {
    200: { description: 'Le fichier CSV, en pièce jointe', content: { 'text/csv': { schema: { type: 'string' } } } },
    ...errorResponses('FIELD_INVALID', 'DATE_INVALID'),
  },
} as const;

/** GET /api/v1/insurer/funding/:month (AAAA-MM.csv) */
export function fundingMonthRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get<{ Params: { month: string } }>('/api/v1/insurer/funding/:month', { schema }, async (request, reply) => {
    const month = request.params.month.replace(/\.csv$/, '');
    const days = await fundingDays(deps.db, agentInsurer(request), monthPeriod(month));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="financement-${month}.csv"`).send(fundingCsv(days));
  });
}
