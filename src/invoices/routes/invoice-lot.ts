import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { todayUtc } from '../../domain/dates.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { lotResponse, lotSchema } from '../invoice-response.js';
import { adjudicateLot } from '../lot.js';
import { keepLot } from '../lot-queue.js';
import { acknowledgementResponse, acknowledgementSchema, lotLocation } from '../lot-status-response.js';
import type { LotWorker } from '../lot-worker.js';
import { lotBodySchema, readLot, type LotBody } from '../lot-request.js';

const schema = {
  summary: 'Lot de factures (DRE)',
  description:
    'Les factures d’une structure, chacune sous un engagement (IDB, CLC) ou un accord préalable : la part complémentaire demandée par ligne est recalculée ' +
    'avec les garanties du jour des soins et payée dans la limite des règles, de la demande et de l’accord ; les plafonds sont consommés dans la même transaction. ' +
    'Un lot mal formé est refusé entier (4xx, rien n’est lu ni écrit) ; sinon chaque facture est décidée à la réception, dans l’ordre du lot. ' +
    'Renvoyer le même lot rend les mêmes décisions (clé : lot et numéro de facture). Montants en centimes. ' +
    'Avec `Prefer: respond-async` (RFC 7240), le lot bien formé est seulement accusé reçu (202, ARL) puis décidé en différé : suivre `Location` ' +
    '(GET /api/v1/invoices/lots/{lot}) ; le même lot renvoyé rend le même accusé, le même numéro de lot avec d’autres factures est refusé (409 INVOICE_LOT_REUSED).',
  tags: [tags.care],
  headers: {
    type: 'object',
    properties: { prefer: { type: 'string', description: '`respond-async` : accusé de réception immédiat (202), factures décidées en différé' } },
  },
  body: {
    ...lotBodySchema,
    examples: [{
      lot: 'L2026-0001',
      factures: [{ numero: 'F0001', engagement: 'E12345678-ABCDEFGHIJKLMNOP', dateSoins: '2026-03-02', lignes: [{ acte: 'G', domaine: 'MED', quantite: 1, prix: 3000, base: 3000, tauxAmo: 70, participationForfaitaire: 200, montantAmc: 900 }] }],
    }],
  },
  response: {
    200: { description: 'Le lot reçu et la décision de chaque facture', ...lotSchema },
    202: {
      description: 'Prefer: respond-async : le lot accepté pour traitement (ARL), ses factures décidées ensuite',
      headers: {
        Location: { type: 'string', description: 'Le suivi du lot : GET /api/v1/invoices/lots/{lot}' },
        'Preference-Applied': { type: 'string', enum: ['respond-async'] },
      },
      ...acknowledgementSchema,
    },
    ...errorResponses(
      'FIELD_MISSING', 'FIELD_INVALID', 'CARE_DOMAIN_UNKNOWN', 'INVOICE_LOT_DUPLICATE', 'INVOICE_LOT_REUSED', 'INVOICE_REFERENCE', 'INVOICE_CARE_DATE', 'SITE_UNKNOWN',
    ),
  },
} as const;

/**
 * POST /api/v1/invoices/lots: a site's lot of invoices, for practice software and professionals
 * on the pages. Decided at once by default; asked `Prefer: respond-async`, checked the same
 * way (refused whole, nothing kept), then kept and acknowledged (202), decided by a worker.
 */
export function invoiceLotRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date; lots: Pick<LotWorker, 'wake'> }): void {
  app.post<{ Body: LotBody }>('/api/v1/invoices/lots', { schema }, async (request, reply) => {
    const now = options.now();
    const lot = readLot(request.body, todayUtc(now));
    const caller = await callerOf(options.db, request, request.body.structure, now);
    if (!prefersAsync(request.headers.prefer)) return lotResponse(await adjudicateLot(options, caller, lot, now));
    const kept = await keepLot(options.db, options.vault, caller, request.body, lot, now);
    options.lots.wake();
    const location = lotLocation(kept.lot, request.body.structure);
    void reply.code(202).header('location', location).header('preference-applied', 'respond-async');
    return acknowledgementResponse(kept, location);
  });
}

/** RFC 7240: preferences separated by commas, each a token with its value and parameters after `=` or `;`. */
function prefersAsync(prefer: string | string[] | undefined): boolean {
  return [prefer ?? ''].flat().join(',').split(',').some((preference) => preference.split(/[;=]/)[0]?.trim().toLowerCase() === 'respond-async');
}
