import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { todayUtc } from '../../domain/dates.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { lotResponse, lotSchema } from '../invoice-response.js';
import { adjudicateLot } from '../lot.js';
import { lotBodySchema, readLot, type LotBody } from '../lot-request.js';

const schema = {
  summary: 'Lot de factures (DRE)',
  description:
    'Les factures d’une structure, chacune sous un engagement (IDB, CLC) ou un accord préalable : la part complémentaire demandée par ligne est recalculée ' +
    'avec les garanties du jour des soins et payée dans la limite des règles, de la demande et de l’accord ; les plafonds sont consommés dans la même transaction. ' +
    'Un lot mal formé est refusé entier (4xx, rien n’est lu ni écrit) ; sinon chaque facture est décidée à la réception, dans l’ordre du lot. ' +
    'Renvoyer le même lot rend les mêmes décisions (clé : lot et numéro de facture). Montants en centimes.',
  tags: [tags.care],
  body: {
    ...lotBodySchema,
    examples: [{
      lot: 'L2026-0001',
      factures: [{ numero: 'F0001', engagement: 'E12345678-ABCDEFGHIJKLMNOP', dateSoins: '2026-03-02', lignes: [{ acte: 'G', domaine: 'MED', quantite: 1, prix: 3000, base: 3000, tauxAmo: 70, participationForfaitaire: 200, montantAmc: 900 }] }],
    }],
  },
  response: {
    200: { description: 'Le lot reçu et la décision de chaque facture', ...lotSchema },
    ...errorResponses('FIELD_MISSING', 'FIELD_INVALID', 'CARE_DOMAIN_UNKNOWN', 'INVOICE_LOT_DUPLICATE', 'INVOICE_REFERENCE', 'INVOICE_CARE_DATE', 'SITE_UNKNOWN'),
  },
} as const;

/** POST /api/v1/invoices/lots: a site's lot of invoices, for practice software and professionals on the pages. */
export function invoiceLotRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.post<{ Body: LotBody }>('/api/v1/invoices/lots', { schema }, async (request) => {
    const now = options.now();
    const lot = readLot(request.body, todayUtc(now));
    const caller = await callerOf(options.db, request, request.body.structure, now);
    return lotResponse(await adjudicateLot(options, caller, lot, now));
  });
}
