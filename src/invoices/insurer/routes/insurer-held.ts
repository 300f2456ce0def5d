import type { FastifyInstance } from 'fastify';
import { tags } from '../../../http/api-docs.js';
import { HELD_LIMIT, heldInvoices, type InsurerInvoicesDeps } from '../insurer-invoices.js';
import { agentInsurer, invoiceLine, invoiceLineSchema, PRIVACY_NOTE } from '../invoice-view.js';

const schema = {
  summary: 'Les factures de mon organisme en attente d’examen',
  description:
    'Les doublons possibles (motif FAC_DUPLICATE : même bénéficiaire, même date de soins, même acte et même structure qu’une facture déjà reçue sous un autre numéro), ' +
    `mis en attente à leur réception : rien n’est payé ni consommé avant votre examen (POST /api/v1/insurer/invoices/{numero}/review). Les plus anciennes d’abord, ${HELD_LIMIT} au plus. ${PRIVACY_NOTE}`,
  tags: [tags.insurer],
  response: {
    200: {
      description: 'Les factures en attente, chacune avec la facture qu’elle semble répéter',
      type: 'array',
      items: {
        ...invoiceLineSchema,
        required: [...invoiceLineSchema.required, 'doublonDe'],
        properties: { ...invoiceLineSchema.properties, doublonDe: { type: 'string', description: 'Numéro de la facture déjà reçue qu’elle semble répéter' } },
      },
    },
  },
} as const;

/** GET /api/v1/insurer/invoices/held */
export function insurerHeldRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.get('/api/v1/insurer/invoices/held', { schema }, async (request) => {
    const rows = await heldInvoices(deps.db, agentInsurer(request));
    return rows.map((row) => ({ ...invoiceLine(row), doublonDe: row.duplicate_of }));
  });
}
