import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../../access/caller.js';
import { structureSchema } from '../../../access/sites.js';
import type { Database } from '../../../db/database.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { queryPeriod, type PeriodQuery } from '../../../invoices/insurer/invoice-view.js';
import { sitePayments } from '../tracking.js';
import { paymentProperties, paymentRequired } from './schemas.js';

const schema = {
  summary: 'Les virements reçus par ma structure',
  description: 'Les virements des jours de paiement de la période (par défaut aujourd’hui, 366 jours au plus) : quand, sur quel compte, pour combien de factures de la structure. Le détail d’un virement : GET /api/v1/payments/{reference}.',
  tags: [tags.care],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      structure: { ...structureSchema, description: 'FINESS ou SIRET (sessions de personnes seulement)' },
      du: { type: 'string', description: 'Premier jour de paiement (AAAA-MM-JJ)' },
      au: { type: 'string', description: 'Dernier jour de paiement, inclus' },
    },
  },
  response: {
    200: {
      description: 'Les virements, du plus récent au plus ancien',
      type: 'object',
      required: ['virements'],
      properties: { virements: { type: 'array', items: { type: 'object', required: paymentRequired, properties: paymentProperties } } },
    },
    ...errorResponses('FIELD_UNKNOWN', 'DATE_INVALID', 'PERIOD_INVALID', 'PERIOD_TOO_LONG', 'SITE_UNKNOWN'),
  },
} as const;

/** GET /api/v1/payments */
export function paymentsListRoute(app: FastifyInstance, deps: { db: Database; now: () => Date }): void {
  app.get<{ Querystring: PeriodQuery & { structure?: string } }>('/api/v1/payments', { schema }, async (request) => {
    const now = deps.now();
    const period = queryPeriod(request.query, now);
    const caller = await callerOf(deps.db, request, request.query.structure, now);
    return { virements: await sitePayments(deps.db, caller.siteId, period) };
  });
}
