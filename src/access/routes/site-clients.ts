import type { FastifyInstance } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';
import { professionalContextOf } from '../../http/plugins/access-policy.js';
import type { Access } from '../access.js';
import { setClientStatus } from '../clients.js';

interface SiteClientRow {
  client_id: string;
  name: string;
  status: string;
  site_id: number;
  finess: string | null;
  siret: string | null;
  jwks: { keys?: { kid?: string }[] };
}

const listSchema = {
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          client: { type: 'string' },
          nom: { type: 'string' },
          statut: { type: 'string' },
          structure: { type: 'object', properties: { finess: { type: ['string', 'null'] }, siret: { type: ['string', 'null'] } } },
          cles: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

const suspendSchema = {
  params: { type: 'object', required: ['clientId'], properties: { clientId: { type: 'string', maxLength: 64 } } },
  body: { type: 'object', required: ['motif'], additionalProperties: false, properties: { motif: { type: 'string', minLength: 3, maxLength: 500 } } },
} as const;

/**
 * A site's administrator (holder or partner of the pharmacy, the practice…) sees the
 * software registered for their sites and can suspend one at once, e.g. after a theft.
 */
export function siteClientRoutes(app: FastifyInstance, access: Access): void {
  app.get('/api/v1/site/clients', { schema: listSchema }, async (request) => {
    const { adminSites } = professionalContextOf(request);
    const rows = await access.db.transaction('platform', (tx) =>
      tx.query<SiteClientRow>(
        `SELECT c.client_id, c.name, c.status, c.site_id, s.finess, s.siret, c.jwks
           FROM client c JOIN site s ON s.id = c.site_id WHERE c.site_id = ANY($1::bigint[]) ORDER BY c.client_id`,
        [adminSites],
      ),
    );
    return rows.rows.map((row) => ({
      client: row.client_id,
      nom: row.name,
      statut: row.status,
      structure: { finess: row.finess, siret: row.siret },
      cles: (row.jwks.keys ?? []).map((key) => key.kid ?? ''),
    }));
  });

  app.post<{ Params: { clientId: string }; Body: { motif: string } }>(
    '/api/v1/site/clients/:clientId/suspend',
    { schema: suspendSchema },
    async (request) => {
      const { adminSites, professional } = professionalContextOf(request);
      const owned = await access.db.transaction('platform', (tx) =>
        tx.query('SELECT 1 FROM client WHERE client_id = $1 AND site_id = ANY($2::bigint[])', [request.params.clientId, adminSites]),
      );
      // Another site's software is "unknown" here: no oracle on who is registered elsewhere.
      if (owned.rowCount === 0) throw new RempartError('CLIENT_UNKNOWN');
      await setClientStatus(access.db, request.params.clientId, 'suspended', `${request.body.motif} (par RPPS ${professional.rpps})`);
      return { client: request.params.clientId, statut: 'suspended' };
    },
  );
}
