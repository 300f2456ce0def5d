import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';
import { CLIENT_USABLE_SQL } from '../clients.js';

const schema = {
  summary: 'Les portails adhérents de mon organisme',
  description:
    'Les clients enregistrés comme portail adhérent de l’organisme de l’agent connecté (rôle member_portal : l’historique des accès de ses adhérents), ' +
    'avec leur statut et les identifiants (kid) de leurs clés publiques. Lecture seule : l’opérateur les enregistre.',
  tags: [tags.insurer],
  response: {
    200: {
      description: 'Les portails, par identifiant',
      type: 'array',
      items: {
        type: 'object',
        required: ['client', 'nom', 'statut', 'cles', 'enregistreLe'],
        properties: {
          client: { type: 'string', description: 'Identifiant du client' },
          nom: { type: 'string' },
          statut: { type: 'string', enum: ['active', 'suspended'] },
          cles: { type: 'array', items: { type: 'string' }, description: 'Les kid des clés publiques enregistrées' },
          enregistreLe: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

interface PortalRow { client_id: string; name: string; status: string; jwks: { keys?: { kid?: string }[] }; created_at: Date }

/**
 * GET /api/v1/insurer/portal-clients. The client table has no insurer scope of its own
 * (the token endpoint reads it before anyone is known): the agent's insurer, from the
 * staff account, is the filter.
 */
export function insurerPortalClientsRoute(app: FastifyInstance, options: { db: Database }): void {
  app.get('/api/v1/insurer/portal-clients', { schema }, async (request) => {
    const { insurerId } = contextOf(request, 'staff').staff;
    if (insurerId === null) return [];
    const rows = await options.db.transaction('platform', (tx) =>
      tx.query<PortalRow>(
        `SELECT c.client_id, c.name, CASE WHEN ${CLIENT_USABLE_SQL} THEN 'active' ELSE 'suspended' END AS status, c.jwks, c.created_at
           FROM client c WHERE c.insurer_id = $1 ORDER BY c.client_id`,
        [insurerId],
      ),
    );
    return rows.rows.map((row) => ({
      client: row.client_id, nom: row.name, statut: row.status, cles: (row.jwks.keys ?? []).map((key) => key.kid ?? ''), enregistreLe: new Date(row.created_at).toISOString(),
    }));
  });
}
