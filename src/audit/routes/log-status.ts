import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { logStatus } from '../verification-notes.js';

const instant = { type: 'string', format: 'date-time' } as const;

const schema = {
  summary: 'La dernière vérification du journal d’accès et ses témoins',
  description:
    'Quand `rempart audit verify` a vérifié le journal pour la dernière fois, ce qu’il a trouvé (intègre, ou la première anomalie), ' +
    'les dossiers de témoins lus (têtes signées, plus grande taille d’arbre) et le dernier point de contrôle signé depuis.',
  tags: [tags.security],
  response: {
    200: {
      description: 'L’état du journal',
      type: 'object',
      required: ['derniereVerification', 'dernierPointDeControle'],
      properties: {
        derniereVerification: {
          type: ['object', 'null'],
          required: ['le', 'integre', 'feuilles', 'pointsDeControle', 'probleme', 'temoins'],
          properties: {
            le: instant,
            integre: { type: 'boolean' },
            feuilles: { type: 'integer' },
            pointsDeControle: { type: 'integer' },
            probleme: { type: ['object', 'null'], required: ['code', 'detail'], properties: { code: { type: 'string' }, detail: { type: 'string' } } },
            temoins: {
              type: 'array',
              items: { type: 'object', required: ['temoin', 'tetes', 'tailleArbre'], properties: { temoin: { type: 'string' }, tetes: { type: 'integer' }, tailleArbre: { type: 'integer' } } },
            },
          },
        },
        dernierPointDeControle: { type: ['object', 'null'], required: ['tailleArbre', 'le'], properties: { tailleArbre: { type: 'integer' }, le: instant } },
      },
    },
  },
} as const;

export function logStatusRoute(app: FastifyInstance, options: { db: Database }): void {
  app.get('/api/v1/security/audit-log', { schema }, () => logStatus(options.db));
}
