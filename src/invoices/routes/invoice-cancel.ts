import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { structureQuery } from '../../claims/routes/prior-agreement-get.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { cancelInvoice } from '../invoice-cancel.js';
import { invoiceParams } from './invoice-get.js';

const schema = {
  summary: 'Annulation d’une facture',
  description:
    'Annule une facture payée ou payée partiellement, pour la structure qui l’a envoyée : rien n’est effacé, l’annulation est inscrite à côté de la décision, ' +
    'ce que la facture a consommé sur les plafonds est libéré, et un montant déjà versé devient un montant à récupérer sur un prochain paiement. ' +
    'Sous un accord préalable, l’accord reste facturé : pour le facturer à nouveau, envoyez plutôt une facture rectificative (`remplace`). ' +
    'Une facture rejetée, déjà annulée ou remplacée, ou en attente d’examen par l’organisme, ne s’annule pas. L’annulation paraît dans les retours.',
  tags: [tags.care],
  params: invoiceParams,
  querystring: structureQuery,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { motif: { type: 'string', minLength: 1, maxLength: 500, description: 'Pourquoi, en texte libre (facultatif)' } },
  },
  response: {
    200: {
      description: 'La facture est annulée',
      type: 'object',
      properties: {
        numero: { type: 'string' },
        statut: { type: 'string', enum: ['annulee'] },
        aRecuperer: { type: 'integer', description: 'Montant déjà versé pour cette facture, repris sur un prochain paiement, en centimes ; absent si rien n’avait été versé' },
      },
    },
    ...errorResponses('FIELD_INVALID', 'INVOICE_UNKNOWN', 'INVOICE_ALREADY_CANCELLED', 'INVOICE_REJECTED', 'INVOICE_HELD', 'SITE_UNKNOWN'),
  },
} as const;

/** POST /api/v1/invoices/:number/cancel */
export function invoiceCancelRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.post<{ Params: { number: string }; Querystring: { structure?: string }; Body: { motif?: string } }>(
    '/api/v1/invoices/:number/cancel',
    {
      schema,
      // The body is optional: a request without one is a cancellation without text.
      preValidation: async (request) => {
        request.body ??= {};
        return Promise.resolve();
      },
    },
    async (request) => {
      const now = options.now();
      const caller = await callerOf(options.db, request, request.query.structure, now);
      const cancelled = await cancelInvoice(options, caller, request.params.number, request.body.motif ?? null, now);
      return { numero: cancelled.number, statut: 'annulee', ...(cancelled.recoveryCents === null ? {} : { aRecuperer: cancelled.recoveryCents }) };
    });
}
