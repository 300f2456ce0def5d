import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { clientContextOf } from '../../http/plugins/access-policy.js';

const schema = {
  response: {
    200: {
      type: 'object',
      required: ['client', 'site', 'professional'],
      properties: {
        client: { type: 'string' },
        site: { type: 'object', properties: { finess: { type: ['string', 'null'] }, siret: { type: ['string', 'null'] } } },
        professional: { type: 'object', properties: { rpps: { type: 'string' } } },
      },
    },
  },
} as const;

/** What the platform knows of the caller: lets a vendor check its integration end to end. */
export function sessionRoute(app: FastifyInstance, db: Database): void {
  app.get('/api/v1/session', { schema }, async (request) => {
    const context = clientContextOf(request);
    const site = await db.transaction('platform', (tx) =>
      tx.query<{ finess: string | null; siret: string | null }>('SELECT finess, siret FROM site WHERE id = $1', [context.siteId]),
    );
    return { client: context.clientId, site: site.rows[0] ?? { finess: null, siret: null }, professional: { rpps: context.professional.rpps } };
  });
}
