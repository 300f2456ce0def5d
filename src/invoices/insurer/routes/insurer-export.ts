import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../../http/api-docs.js';
import type { Database } from '../../../db/database.js';
import { invoiceBatches, type InsurerInvoicesDeps, type InvoiceFilter } from '../insurer-invoices.js';
import { agentInsurer, csvColumns, invoiceLine, periodQuery, PRIVACY_NOTE, queryPeriod, type PeriodQuery } from '../invoice-view.js';

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

/**
 * The invoices as CSV, read batch after batch as the file is written: memory stays flat
 * whatever the period holds. The byte-order mark lets a spreadsheet read the accents.
 */
export function invoicesCsv(db: Database, insurerId: number, filter: InvoiceFilter, onError: (error: Error) => void): Readable {
  const csv = stringify({ delimiter: ';', header: true, bom: true, columns: [...csvColumns] });
  pipeline(Readable.from(csvRecords(db, insurerId, filter)), csv, (error) => {
    if (error) onError(error);
  });
  return csv;
}

async function* csvRecords(db: Database, insurerId: number, filter: InvoiceFilter): AsyncGenerator<object> {
  for await (const batch of invoiceBatches(db, insurerId, filter)) {
    for (const row of batch) {
      const line = invoiceLine(row);
      yield { ...line, domaines: line.domaines.join(' ') };
    }
  }
}

/** GET /api/v1/insurer/invoices/export.csv */
export function insurerExportRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get<{ Querystring: PeriodQuery }>('/api/v1/insurer/invoices/export.csv', { schema }, async (request, reply) => {
    const insurerId = agentInsurer(request);
    const period = queryPeriod(request.query, deps.now());
    // The file ends short if a read fails midway: the error is logged, the connection closed.
    const body = invoicesCsv(deps.db, insurerId, { period }, (error) => request.log.error({ err: error }, 'export des factures interrompu'));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="factures-${period.from}-${period.to}.csv"`)
      .send(body);
  });
}
