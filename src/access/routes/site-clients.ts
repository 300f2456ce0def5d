import type { FastifyInstance } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';
import type { Database } from '../../db/database.js';
import { CLIENT_USABLE_SQL, setClientStatus } from '../clients.js';
import { recordEnrolment } from '../enrolments.js';

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
  summary: 'Les logiciels de mes structures',
  description: 'Les logiciels enregistrés pour les structures que vous administrez (titulaire, associé ou délégataire), avec leur statut et les identifiants (kid) de leurs clés publiques.',
  tags: [tags.site],
  response: {
    200: {
      description: 'Les logiciels, par identifiant',
      type: 'array',
      items: {
        type: 'object',
        required: ['client', 'nom', 'statut', 'structure', 'cles'],
        properties: {
          client: { type: 'string', description: 'Identifiant du logiciel' },
          nom: { type: 'string' },
          statut: { type: 'string', description: '`active` ou `suspended` (suspendu, ou enregistré par un professionnel suspendu)' },
          structure: { type: 'object', properties: { finess: { type: ['string', 'null'] }, siret: { type: ['string', 'null'] } } },
          cles: { type: 'array', items: { type: 'string' }, description: 'Les kid des clés publiques enregistrées' },
        },
      },
    },
  },
} as const;

const suspendSchema = {
  summary: 'Suspendre un logiciel',
  description: 'Suspend à l’instant un logiciel d’une de vos structures (vol d’un poste, fuite de clé) : ses jetons en cours cessent de servir. Sans confirmation d’identité : la protection passe avant.',
  tags: [tags.site],
  params: { type: 'object', required: ['clientId'], properties: { clientId: { type: 'string', maxLength: 64, description: 'Identifiant du logiciel' } } },
  body: { type: 'object', required: ['motif'], additionalProperties: false, properties: { motif: { type: 'string', minLength: 3, maxLength: 500 } } },
  response: {
    200: {
      description: 'Logiciel suspendu',
      type: 'object',
      required: ['client', 'statut'],
      properties: { client: { type: 'string' }, statut: { type: 'string', enum: ['suspended'] } },
    },
    ...errorResponses('CLIENT_UNKNOWN'),
  },
} as const;

/**
 * A site's administrator (holder or partner of the pharmacy, the practice…) sees the
 * software registered for their sites and can suspend one at once, e.g. after a theft.
 */
export function siteClientRoutes(app: FastifyInstance, options: { db: Database }): void {
  app.get('/api/v1/site/clients', { schema: listSchema }, async (request) => {
    const { adminSites } = contextOf(request, 'professional');
    const rows = await options.db.transaction('platform', (tx) =>
      tx.query<SiteClientRow>(
        // The status the token endpoint applies: suspended too while the professional who enrolled it is.
        `SELECT c.client_id, c.name, CASE WHEN ${CLIENT_USABLE_SQL} THEN 'active' ELSE 'suspended' END AS status, c.site_id, s.finess, s.siret, c.jwks
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
      const { adminSites, professional } = contextOf(request, 'professional');
      const owned = await options.db.transaction('platform', (tx) =>
        tx.query('SELECT 1 FROM client WHERE client_id = $1 AND site_id = ANY($2::bigint[])', [request.params.clientId, adminSites]),
      );
      // Another site's software is "unknown" here: no oracle on who is registered elsewhere.
      if (owned.rowCount === 0) throw new RempartError('CLIENT_UNKNOWN');
      await setClientStatus(options.db, request.params.clientId, 'suspended', `${request.body.motif} (par RPPS ${professional.rpps})`);
      // The software's own history has its revocation; the professional's list of enrolments has this.
      await recordEnrolment(options.db, request, `RPPS ${professional.rpps}`, `logiciel ${request.params.clientId} suspendu`, { clientId: request.params.clientId });
      return { client: request.params.clientId, statut: 'suspended' };
    },
  );
}
