import type { FastifyInstance } from 'fastify';
import { structureOf } from '../../access/sites.js';
import { tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { returns580, type Return580Page } from '../returns-580.js';
import { returnsResponse } from '../returns-response.js';
import { readReturnsPage, returnsErrors, returnsQuerySchema, type ReturnsQuery } from './invoice-returns.js';

/** Where the next page starts, for software that reads the file's headers before its records. */
export const CURSOR_HEADER = 'rempart-curseur';

const schema = {
  summary: 'Retours des factures, en fichier (structure du 580)',
  description:
    'La même page de retours que `GET /api/v1/invoices/returns`, en fichier `;` : un en-tête (000), un bloc par virement (100) avec les factures qu’il règle ' +
    '(200) et leurs lignes (300), puis les totaux (999) et le curseur de la page suivante, aussi donné dans l’en-tête HTTP `Rempart-Curseur`. ' +
    'Format : docs/returns-580.md. Mêmes paramètres, même curseur, même inscription au journal d’accès.',
  tags: [tags.care],
  querystring: returnsQuerySchema,
  response: {
    200: { description: 'Le fichier de la page, en pièce jointe', content: { 'text/csv': { schema: { type: 'string' } } } },
    ...returnsErrors(),
  },
} as const;

/** GET /api/v1/invoices/returns.csv: the feed's page as a file modelled on the NOEMIE 580 (docs/returns-580.md). */
export function invoiceReturns580Route(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.get<{ Querystring: ReturnsQuery }>('/api/v1/invoices/returns.csv', { schema }, async (request, reply) => {
    const { page, caller } = await readReturnsPage(options, request);
    const file = returns580(returnsResponse(page) as Return580Page, { site: await structureOf(options.db, caller.siteId), at: options.now(), from: request.query.curseur ?? null });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="retours-${page.amc}.csv"`)
      .header(CURSOR_HEADER, page.cursor)
      .send(file);
  });
}
