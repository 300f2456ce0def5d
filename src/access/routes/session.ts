import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';

const schema = {
  summary: 'Qui appelle : logiciel, structure, professionnel',
  description:
    'Ce que la plateforme sait de l’appelant, d’après son jeton, sa preuve DPoP et l’en-tête `rempart-professionnel` : ' +
    'de quoi vérifier une intégration de bout en bout avant tout appel métier.',
  tags: [tags.integration],
  response: {
    200: {
      description: 'L’appelant tel que la plateforme l’a authentifié',
      type: 'object',
      required: ['client', 'site', 'professional'],
      properties: {
        client: { type: 'string', description: 'Identifiant du logiciel' },
        site: {
          type: 'object',
          description: 'La structure du logiciel',
          properties: { finess: { type: ['string', 'null'] }, siret: { type: ['string', 'null'] } },
        },
        professional: { type: 'object', description: 'Le professionnel pour qui agit le logiciel', properties: { rpps: { type: 'string' } } },
      },
    },
  },
} as const;

/** What the platform knows of the caller: lets a vendor check its integration end to end. */
export function sessionRoute(app: FastifyInstance, db: Database): void {
  app.get('/api/v1/session', { schema }, async (request) => {
    const context = contextOf(request, 'client');
    const site = await db.transaction('platform', (tx) =>
      tx.query<{ finess: string | null; siret: string | null }>('SELECT finess, siret FROM site WHERE id = $1', [context.siteId]),
    );
    return { client: context.clientId, site: site.rows[0] ?? { finess: null, siret: null }, professional: { rpps: context.professional.rpps } };
  });
}
