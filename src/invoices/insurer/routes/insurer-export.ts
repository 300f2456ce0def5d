import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { invoicesCsv } from '../export-csv.js';
import type { InsurerInvoicesDeps } from '../insurer-invoices.js';
import { agentInsurer, periodQuery, PRIVACY_NOTE, queryPeriod, type PeriodQuery } from '../invoice-view.js';

const schema = {
  summary: 'Export CSV des factures de mon organisme',
  description: `Les mêmes factures et colonnes que la liste (GET /api/v1/insurer/invoices), toutes, pour la période (par défaut aujourd’hui) : CSV séparé par des points-virgules, en-têtes en français, écrit au fil de la lecture. ${PRIVACY_NOTE}`,
  tags: [tags.insurer],
  querystring: { type: 'object', additionalProperties: false, properties: periodQuery },
  response: {
    200: { description: 'Le fichier CSV, en pièce jointe', content: { 'text/csv': { schema: { type: 'string' } } } },
    ...errorResponses('FIELD_UNKNOWN', 'DATE_INVALID', 'PERIOD_INVALID', 'PERIOD_TOO_LONG'),
  },
} as const;

/** GET /api/v1/insurer/invoices/export.csv */
export function insurerExportRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get<{ Querystring: PeriodQuery }>('/api/v1/insurer/invoices/export.csv', { schema }, async (request, reply) => {
    const insurerId = agentInsurer(request);
    const period = queryPeriod(request.query, deps.now());
    // A read failing midway destroys the stream: Fastify logs it and closes the connection.
    const body = invoicesCsv(deps.db, insurerId, { period });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="factures-${period.from}-${period.to}.csv"`)
      .send(body);
  });
}
