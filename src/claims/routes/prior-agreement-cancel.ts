import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { cancelPriorAgreement } from '../prior-agreement-lookup.js';
import { agreementParams, structureQuery } from './prior-agreement-get.js';

const schema = {
  summary: 'Annulation d’un accord préalable',
  description: 'Libère les montants réservés sur les plafonds ; l’équipement ne compte plus pour le délai de renouvellement. Un accord annulé ou expiré ne s’annule pas.',
  tags: [tags.care],
  params: agreementParams,
  querystring: structureQuery,
  response: {
    200: { description: 'L’accord est annulé', type: 'object', properties: { numero: { type: 'string' }, statut: { type: 'string', enum: ['annule'] } } },
    ...errorResponses('FIELD_INVALID', 'PRIOR_AGREEMENT_UNKNOWN', 'PRIOR_AGREEMENT_CANCELLED', 'PRIOR_AGREEMENT_EXPIRED', 'PRIOR_AGREEMENT_INVOICED', 'SITE_UNKNOWN'),
  },
} as const;

/** POST /api/v1/prior-agreements/:number/cancel */
export function priorAgreementCancelRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.post<{ Params: { number: string }; Querystring: { structure?: string } }>('/api/v1/prior-agreements/:number/cancel', { schema }, async (request) => {
    const now = options.now();
    const caller = await callerOf(options.db, request, request.query.structure, now);
    const cancelled = await cancelPriorAgreement(options, caller, request.params.number, now);
    return { numero: cancelled.number, statut: 'annule' };
  });
}
