import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callerOf, type Caller } from '../../access/caller.js';
import { structureSchema } from '../../access/sites.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { decodeCursor, readReturns, RETURNS_DEFAULT_LIMIT, RETURNS_MAX_LIMIT, type ReturnsPage } from '../returns.js';
import { returnsPageSchema, returnsResponse } from '../returns-response.js';

export interface ReturnsQuery {
  amc: string;
  curseur?: string;
  depuis?: string;
  limite?: number;
  structure?: string;
}

/** The feed's parameters, shared by its JSON and its file (invoice-returns-580.ts). */
export const returnsQuerySchema = {
  type: 'object',
  required: ['amc'],
  additionalProperties: false,
  properties: {
    amc: { type: 'string', pattern: '^[0-9]{8,10}$', description: 'Numéro AMC de l’organisme' },
    curseur: { type: 'string', description: 'Le `curseur` de la réponse précédente ; absent pour la première page' },
    depuis: { type: 'string', format: 'date-time', description: 'Première page : les retours écrits à partir de cet instant' },
    limite: { type: 'integer', minimum: 1, maximum: RETURNS_MAX_LIMIT, default: RETURNS_DEFAULT_LIMIT, description: 'Retours par page' },
    structure: { ...structureSchema, description: 'FINESS ou SIRET (sessions de personnes seulement)' },
  },
} as const;

export const returnsErrors = (): ReturnType<typeof errorResponses> => errorResponses('FIELD_MISSING', 'FIELD_INVALID', 'INVOICE_RETURNS_CURSOR', 'AMC_UNKNOWN', 'SITE_UNKNOWN');

const schema = {
  summary: 'Retours des factures',
  description:
    'Les retours de votre structure pour un organisme, dans l’ordre où ils ont été écrits : une entrée par décision, une par annulation, ' +
    'chacune avec la facture telle que décidée (statut, montants demandés et payés par ligne, motifs et libellés). ' +
    'Reprenez au `curseur` de la réponse précédente (même vide) : des factures décidées pendant que vous lisez ne sont ni perdues ni données deux fois. ' +
    '`depuis` ne sert qu’à la première page ; avec un `curseur`, il est sans effet. `paiement` nomme le virement qui paie la facture (référence et jour), `null` tant qu’aucun paiement ne l’a prise.',
  tags: [tags.care],
  querystring: returnsQuerySchema,
  response: {
    200: { description: 'Une page de retours', ...returnsPageSchema },
    ...returnsErrors(),
  },
} as const;

/** GET /api/v1/invoices/returns: the site's feed of decisions and cancellations (the 580's content, in JSON), with a cursor. */
export function invoiceReturnsRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.get<{ Querystring: ReturnsQuery }>('/api/v1/invoices/returns', { schema }, async (request) => returnsResponse((await readReturnsPage(options, request)).page));
}

/** One page of the feed for the request's caller, through the door. */
export async function readReturnsPage(options: RightsDeps & { now: () => Date }, request: FastifyRequest<{ Querystring: ReturnsQuery }>): Promise<{ page: ReturnsPage; caller: Caller }> {
  const now = options.now();
  const { amc, curseur, depuis, limite = RETURNS_DEFAULT_LIMIT, structure } = request.query;
  // Before anything is read: a malformed cursor changes nothing and is recorded nowhere.
  const after = curseur === undefined ? null : decodeCursor(curseur, amc);
  const caller = await callerOf(options.db, request, structure, now);
  const page = await readReturns(options, caller, { amc, after, since: depuis === undefined ? null : new Date(depuis), limit: limite }, now);
  return { page, caller };
}
