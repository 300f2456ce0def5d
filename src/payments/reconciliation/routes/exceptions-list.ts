import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/database.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { EXCEPTION_LABELS, listExceptions } from '../exceptions.js';

const schema = {
  summary: 'Les exceptions du rapprochement bancaire',
  description:
    'Les mouvements des relevés de la banque (camt.054, camt.053) que la plateforme n’a pas appliqués, les plus récents d’abord : référence inconnue, montant différent, ' +
    'retour d’un virement déjà débité, écriture en attente… et les virements rejetés qui déduisaient des indus. À traiter par l’opérateur avec la banque ou la structure.',
  tags: [tags.staff],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      releve: { type: 'string', minLength: 1, maxLength: 35, description: 'Seulement les exceptions de ce relevé (son identifiant de message, MsgId)' },
      limite: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    },
  },
  response: {
    200: {
      description: 'Les exceptions, les plus récentes d’abord',
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'releve', 'importeLe', 'mouvement', 'motif', 'libelle', 'reference', 'montant', 'comptabiliseLe', 'motifRetour'],
        properties: {
          id: { type: 'integer' },
          releve: { type: 'string', description: 'Identifiant de message (MsgId) du relevé importé' },
          importeLe: { type: 'string', format: 'date-time' },
          mouvement: { type: 'string', description: 'Référence de l’écriture dans le relevé (NtryRef, sinon sa position), et son rang quand elle détaille plusieurs opérations' },
          motif: { type: 'string', enum: Object.keys(EXCEPTION_LABELS) },
          libelle: { type: 'string' },
          reference: { type: ['string', 'null'], description: 'EndToEndId de l’opération, s’il est donné' },
          montant: { type: 'integer', description: 'Centimes' },
          comptabiliseLe: { type: ['string', 'null'], format: 'date', description: 'Jour de comptabilisation par la banque (null : en attente)' },
          motifRetour: { type: ['string', 'null'], description: 'Motif de retour ISO 20022 (AC04…)' },
        },
      },
    },
    ...errorResponses('FIELD_UNKNOWN', 'FIELD_INVALID'),
  },
} as const;

/** GET /api/v1/payments/exceptions */
export function exceptionsListRoute(app: FastifyInstance, deps: { db: Database }): void {
  app.get<{ Querystring: { releve?: string; limite: number } }>('/api/v1/payments/exceptions', { schema }, (request) =>
    listExceptions(deps.db, { ...(request.query.releve === undefined ? {} : { statement: request.query.releve }), limit: request.query.limite }));
}
