import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { structureSchema } from '../../access/sites.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { consultPriorAgreement } from '../prior-agreement-lookup.js';
import { agreementResponse, agreementSchema } from '../prior-agreement-response.js';

/** The number as prior agreements are written (migration 025). */
export const agreementParams = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', pattern: '^P[0-9]{8,10}-[A-Z2-7]{16}$', description: 'Numéro de l’accord préalable' } },
} as const;

/** A professional on the pages names the site they act for; software acts for its own. */
export const structureQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { structure: { ...structureSchema, description: 'FINESS ou SIRET (sessions de personnes seulement)' } },
} as const;

const schema = {
  summary: 'Consultation d’un accord préalable',
  description: 'L’accord tel que décidé, avec son statut du jour (annule, expire une fois sa fin de validité passée), pour la structure qui l’a demandé.',
  tags: [tags.care],
  params: agreementParams,
  querystring: structureQuery,
  response: {
    200: { description: 'L’accord', ...agreementSchema },
    ...errorResponses('FIELD_INVALID', 'PRIOR_AGREEMENT_UNKNOWN', 'SITE_UNKNOWN'),
  },
} as const;

/** GET /api/v1/prior-agreements/:number */
export function priorAgreementGetRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.get<{ Params: { number: string }; Querystring: { structure?: string } }>('/api/v1/prior-agreements/:number', { schema }, async (request) => {
    const now = options.now();
    const caller = await callerOf(options.db, request, request.query.structure, now);
    return agreementResponse(await consultPriorAgreement(options, caller, request.params.number, now));
  });
}
