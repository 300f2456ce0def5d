import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { structureQuery } from '../../claims/routes/prior-agreement-get.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { keptLot } from '../lot-queue.js';
import { lotBodySchema } from '../lot-request.js';
import { lotLocation, lotStatusResponse, lotStatusSchema } from '../lot-status-response.js';

const schema = {
  summary: 'Suivi d’un lot de factures reçu en différé',
  description:
    'Le lot envoyé avec `Prefer: respond-async`, pour la structure qui l’a envoyé : `accepte`, `en_cours`, puis `traite` avec la décision de chaque facture ' +
    '(la réponse d’un envoi synchrone), ou `arrete` avec le code du refus qui l’a interrompu. Les retours (GET /api/v1/invoices/returns) portent chaque décision, quel que soit le mode.',
  tags: [tags.care],
  params: { type: 'object', required: ['lot'], properties: { lot: lotBodySchema.properties.lot } },
  querystring: structureQuery,
  response: {
    200: { description: 'Le lot et son statut', ...lotStatusSchema },
    ...errorResponses('FIELD_INVALID', 'INVOICE_LOT_UNKNOWN', 'SITE_UNKNOWN'),
  },
} as const;

/**
 * GET /api/v1/invoices/lots/:lot. Not a disclosure of its own: each decision it repeats was
 * one, recorded when the worker made it, and it answers only the site that sent the lot.
 */
export function invoiceLotStatusRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.get<{ Params: { lot: string }; Querystring: { structure?: string } }>('/api/v1/invoices/lots/:lot', { schema }, async (request) => {
    const caller = await callerOf(options.db, request, request.query.structure, options.now());
    const kept = await keptLot(options.db, options.vault, caller.siteId, request.params.lot);
    return lotStatusResponse(kept, lotLocation(kept.lot, request.query.structure));
  });
}
