import type { FastifyInstance } from 'fastify';
import { cursorPage, errorResponses, tags } from '../../../http/api-docs.js';
import { statuses } from '../../invoice-response.js';
import type { InvoiceOutcome } from '../../invoice.js';
import { decodeInvoiceCursor, encodeInvoiceCursor } from '../cursor.js';
import { invoicePage, type InsurerInvoicesDeps } from '../insurer-invoices.js';
import { agentInsurer, invoiceLine, invoiceLineSchema, periodQuery, PRIVACY_NOTE, queryPeriod, reasonCode, statusSchema, type PeriodQuery } from '../invoice-view.js';

interface Query extends PeriodQuery {
  statut?: string;
  motif?: string;
  cursor?: string;
  limit?: number;
}

const schema = {
  summary: 'Les factures de mon organisme',
  description: `Les factures décidées pour l’organisme de l’agent connecté sur la période (par défaut aujourd’hui), de la plus récente à la plus ancienne, par pages. ${PRIVACY_NOTE}`,
  tags: [tags.insurer],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...periodQuery,
      statut: statusSchema,
      motif: reasonCode,
      cursor: { type: 'string', maxLength: 200, description: 'Curseur `suivant` de la page précédente, tel quel' },
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'Factures par page' },
    },
  },
  response: {
    200: cursorPage('Une page de factures', 'factures', invoiceLineSchema),
    ...errorResponses('FIELD_INVALID', 'FIELD_UNKNOWN', 'DATE_INVALID', 'PERIOD_INVALID', 'PERIOD_TOO_LONG'),
  },
} as const;

const statusOf = Object.fromEntries(Object.entries(statuses).map(([status, word]) => [word, status])) as Record<string, InvoiceOutcome['status']>;

/** GET /api/v1/insurer/invoices */
export function insurerInvoicesRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get<{ Querystring: Query }>('/api/v1/insurer/invoices', { schema }, async (request) => {
    const insurerId = agentInsurer(request);
    const { statut, motif, cursor, limit = 100 } = request.query;
    const period = queryPeriod(request.query, deps.now());
    const after = cursor === undefined ? undefined : decodeInvoiceCursor(cursor);
    const filter = { period, ...(statut && { status: statusOf[statut] }), ...(motif && { reason: motif }) };
    const page = await invoicePage(deps.db, insurerId, filter, after, limit);
    return { factures: page.rows.map(invoiceLine), suivant: page.next && encodeInvoiceCursor(page.next) };
  });
}
