import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/database.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { importStatement } from '../import.js';

/** A bank file is larger than the platform's JSON requests: a day's camt.054 of a few thousand transfers. */
const STATEMENT_LIMIT_BYTES = 16 * 1024 * 1024;

const schema = {
  summary: 'Importer un relevé de la banque',
  description:
    'Le fichier camt.054 (avis de débit et de crédit) ou camt.053 (relevé de fin de journée), version .001.08, tel que la banque l’envoie, validé contre le schéma ISO 20022 officiel. ' +
    'Chaque opération est rapprochée de son virement par son EndToEndId : un débit comptabilisé règle le virement, un retour (motif AC04, AC01, MD07…) le rejette, remet ses factures à payer ' +
    'et signale le compte ; le reste va aux exceptions (GET /api/v1/payments/exceptions). Tout ou rien, en une transaction ; un relevé déjà importé est refusé. Demande une preuve forte récente.',
  tags: [tags.staff],
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['camt'],
    properties: { camt: { type: 'string', minLength: 1, description: 'Le fichier XML, en texte' } },
  },
  response: {
    200: {
      description: 'Ce que le relevé a changé',
      type: 'object',
      required: ['fichier', 'version', 'mouvements', 'rapproches', 'regles', 'rejetes', 'dejaConnus', 'exceptions', 'facturesRouvertes'],
      properties: {
        fichier: { type: 'string', description: 'Identifiant de message (MsgId) du relevé' },
        version: { type: 'string', enum: ['camt.054.001.08', 'camt.053.001.08'] },
        mouvements: { type: 'integer', description: 'Opérations lues' },
        rapproches: { type: 'integer', description: 'Opérations rapprochées d’un virement : réglés, rejetés, déjà connus' },
        regles: { type: 'integer', description: 'Virements débités' },
        rejetes: { type: 'integer', description: 'Virements rejetés par la banque du bénéficiaire' },
        dejaConnus: { type: 'integer', description: 'Débits de virements déjà réglés (le relevé du soir après les avis de la journée)' },
        exceptions: { type: 'integer' },
        facturesRouvertes: { type: 'integer', description: 'Factures des virements rejetés, de nouveau à payer' },
      },
    },
    ...errorResponses('FIELD_MISSING', 'FIELD_INVALID', 'CAMT_XML_INVALID', 'CAMT_FOREIGN', 'CAMT_SCHEMA_INVALID', 'CAMT_AMOUNT_INVALID', 'CAMT_ALREADY_IMPORTED'),
  },
} as const;

/** POST /api/v1/payments/statements */
export function statementImportRoute(app: FastifyInstance, deps: { db: Database; now: () => Date }): void {
  app.post<{ Body: { camt: string } }>('/api/v1/payments/statements', { schema, bodyLimit: STATEMENT_LIMIT_BYTES }, (request) =>
    importStatement(deps.db, request.body.camt, deps.now()));
}
