import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { structureQuery } from '../../claims/routes/prior-agreement-get.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { consultInvoice } from '../invoice-lookup.js';
import { invoiceResponse, invoiceSchema } from '../invoice-response.js';

/** The number as invoices' decisions are written (migration 028); the FHIR ClaimResponse read (src/fhir) dispatches on it. */
export const invoiceParams = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', pattern: '^F[0-9]{8,10}-[A-Z2-7]{16}$', description: 'Numéro de la décision sur la plateforme' } },
} as const;

const schema = {
  summary: 'Consultation d’une facture',
  description:
    'La décision enregistrée d’une facture, par son numéro sur la plateforme (`numero` de la réponse au lot), pour la structure qui l’a envoyée ; ' +
    'annulée depuis, son `statut` est `annulee` et `annulation` dit quand et pourquoi, les montants restant ceux de la décision.',
  tags: [tags.care],
  params: invoiceParams,
  querystring: structureQuery,
  response: {
    200: { description: 'La décision', ...invoiceSchema },
    ...errorResponses('FIELD_INVALID', 'INVOICE_UNKNOWN', 'SITE_UNKNOWN'),
  },
} as const;

/** GET /api/v1/invoices/:number */
export function invoiceGetRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.get<{ Params: { number: string }; Querystring: { structure?: string } }>('/api/v1/invoices/:number', { schema }, async (request) => {
    const now = options.now();
    const caller = await callerOf(options.db, request, request.query.structure, now);
    return invoiceResponse(await consultInvoice(options, caller, request.params.number, now));
  });
}
