import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../../access/access-policy.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { statuses } from '../../invoice-response.js';
import { invoiceParams } from '../../routes/invoice-get.js';
import type { InsurerInvoicesDeps } from '../insurer-invoices.js';
import { agentInsurer, reasonCode, reasonOf } from '../invoice-view.js';
import { reviewInvoice, type ReviewDecision } from '../review.js';

interface Body {
  decision: ReviewDecision;
  motif: string;
}

const schema = {
  summary: 'Examen d’une facture en attente',
  description:
    'Décide une facture de mon organisme mise en attente comme doublon possible, une fois : « payer » la décide maintenant, avec les mêmes règles et les plafonds ' +
    'tels qu’ils sont (elle peut être réduite, ou rejetée s’ils sont épuisés entre-temps) ; « rejeter » la rejette pour FAC_DUPLICATE. La décision paraît dans les ' +
    'retours de la structure et, payée, entre dans le prochain virement. La réponse ne nomme pas le bénéficiaire.',
  tags: [tags.insurer],
  params: invoiceParams,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['decision', 'motif'],
    properties: {
      decision: { type: 'string', enum: ['payer', 'rejeter'] },
      motif: { type: 'string', minLength: 1, maxLength: 500, description: 'Pourquoi, en texte libre : gardé avec l’examen' },
    },
  },
  response: {
    200: {
      description: 'La facture est décidée',
      type: 'object',
      required: ['numero', 'statut', 'demande', 'paye'],
      properties: {
        numero: { type: 'string' },
        statut: { type: 'string', enum: ['payee', 'payee_partiellement', 'rejetee'] },
        motif: { ...reasonCode, description: 'Motif du rejet, ou de la première réduction' },
        libelle: { type: 'string' },
        demande: { type: 'integer', description: 'Part complémentaire demandée, en centimes' },
        paye: { type: 'integer', description: 'Part complémentaire payée, en centimes' },
      },
    },
    ...errorResponses('FIELD_INVALID', 'INVOICE_UNKNOWN', 'INVOICE_NOT_HELD', 'INVOICE_REVIEWED', 'INVOICE_ALREADY_CANCELLED'),
  },
} as const;

/** POST /api/v1/insurer/invoices/:number/review */
export function insurerReviewRoute(app: FastifyInstance, deps: InsurerInvoicesDeps): void {
  app.post<{ Params: { number: string }; Body: Body }>('/api/v1/insurer/invoices/:number/review', { schema }, async (request) => {
    const insurerId = agentInsurer(request);
    const { staff } = contextOf(request, 'staff');
    const { decision } = await reviewInvoice(deps.db, insurerId, staff.id, request.params.number, request.body.decision, request.body.motif, deps.now());
    return {
      numero: request.params.number, statut: statuses[decision.status], ...(decision.reason === null ? {} : { motif: decision.reason, libelle: reasonOf(decision.reason).label }),
      demande: decision.claimedCents, paye: decision.paidCents,
    };
  });
}
