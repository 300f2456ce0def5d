import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../../access/access-policy.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { cancelChange, type ChangeOptions } from '../changes.js';
import { structureBody } from './schemas.js';

const schema = {
  summary: 'Annuler un changement de compte bancaire',
  description: 'Tout administrateur de la structure arrête le changement en attente, confirmé ou non, avant qu’il prenne effet. Sans confirmation d’identité : la protection passe avant.',
  tags: [tags.site],
  body: structureBody,
  response: {
    200: { description: 'Changement annulé', type: 'object', required: ['version', 'annule'], properties: { version: { type: 'integer' }, annule: { type: 'boolean', enum: [true] } } },
    ...errorResponses('SITE_UNKNOWN', 'BANK_CHANGE_UNKNOWN'),
  },
} as const;

export function bankAccountCancelRoute(app: FastifyInstance, options: ChangeOptions): void {
  app.post<{ Body: { structure: string } }>('/api/v1/site/bank-account/pending/cancel', { schema }, async (request) => {
    const { adminSites, professional } = contextOf(request, 'professional');
    return { version: await cancelChange(options, request, professional, { structure: request.body.structure, adminSites }), annule: true };
  });
}
