import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { structureQuery } from '../../claims/routes/prior-agreement-get.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { cancelEngagement } from '../engagement-cancel.js';

const schema = {
  summary: 'Annulation d’un engagement',
  description:
    'Annule l’engagement d’une identification des droits, pour la structure à qui il a été donné : il ne sert plus à aucun calcul ni à aucune facture ' +
    '(une facture sous lui est rejetée, `ENG_CANCELLED`). Un engagement sous lequel une facture payée tient encore ne s’annule pas (annulez d’abord la facture). ' +
    'Ses accords préalables gardent leur propre cycle (leur annulation : `POST /api/v1/prior-agreements/{numero}/cancel`).',
  tags: [tags.care],
  params: {
    type: 'object',
    required: ['number'],
    properties: { number: { type: 'string', pattern: '^E[0-9]{8,10}-[A-Z2-7]{16}$', description: 'Numéro d’engagement' } },
  },
  querystring: structureQuery,
  response: {
    200: { description: 'L’engagement est annulé', type: 'object', properties: { numero: { type: 'string' }, statut: { type: 'string', enum: ['annule'] } } },
    ...errorResponses('FIELD_INVALID', 'ENGAGEMENT_UNKNOWN', 'ENGAGEMENT_ALREADY_CANCELLED', 'ENGAGEMENT_INVOICED', 'SITE_UNKNOWN'),
  },
} as const;

/** POST /api/v1/engagements/:number/cancel */
export function engagementCancelRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.post<{ Params: { number: string }; Querystring: { structure?: string } }>('/api/v1/engagements/:number/cancel', { schema }, async (request) => {
    const now = options.now();
    const caller = await callerOf(options.db, request, request.query.structure, now);
    const cancelled = await cancelEngagement(options, caller, request.params.number, now);
    return { numero: cancelled.number, statut: 'annule' };
  });
}
