import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { reasonCategories } from '../../../domain/invoices/reasons.js';
import { rejectionsByReason, type InsurerInvoicesDeps } from '../insurer-invoices.js';
import { periodQuery, readForAgent, type PeriodQuery, reasonCode, reasonOf } from '../invoice-view.js';

const centimes = (description: string): { type: 'integer'; description: string } => ({ type: 'integer', description });

const schema = {
  summary: 'Les rejets de mon organisme, par motif',
  description: 'Pour l’organisme de l’agent connecté, les factures décidées sur la période (par défaut aujourd’hui) rejetées ou réduites, par motif (celui du rejet, ou de la première réduction) : leur nombre, ce qui était demandé et ce qui n’a pas été payé. Du plus gros montant non payé au plus petit.',
  tags: [tags.insurer],
  querystring: { type: 'object', additionalProperties: false, properties: periodQuery },
  response: {
    200: {
      description: 'Un total par motif',
      type: 'array',
      items: {
        type: 'object',
        required: ['motif', 'libelle', 'categorie', 'libelleCategorie', 'rejetees', 'reduites', 'demande', 'nonPaye'],
        properties: {
          motif: reasonCode,
          libelle: { type: 'string' },
          categorie: { type: 'string', enum: Object.keys(reasonCategories) },
          libelleCategorie: { type: 'string' },
          rejetees: { type: 'integer', description: 'Factures rejetées pour ce motif' },
          reduites: { type: 'integer', description: 'Factures payées partiellement, ce motif étant celui de la première réduction' },
          demande: centimes('Part complémentaire demandée par ces factures, en centimes'),
          nonPaye: centimes('Ce qui n’en a pas été payé, en centimes'),
        },
      },
    },
    ...errorResponses('FIELD_UNKNOWN', 'DATE_INVALID', 'PERIOD_INVALID', 'PERIOD_TOO_LONG'),
  },
} as const;

/** GET /api/v1/insurer/invoices/rejections */
export function insurerRejectionsRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get<{ Querystring: PeriodQuery }>('/api/v1/insurer/invoices/rejections', { schema }, async (request) => {
    const totals = await readForAgent(request, deps, rejectionsByReason);
    return totals.map((total) => {
      const reason = reasonOf(total.reason);
      return {
        motif: total.reason, libelle: reason.label, categorie: reason.category, libelleCategorie: reason.categoryLabel,
        rejetees: total.rejected, reduites: total.reduced, demande: total.claimed_cents, nonPaye: total.unpaid_cents,
      };
    });
  });
}
