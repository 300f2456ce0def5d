import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { agentInsurer } from '../../invoices/insurer/invoice-view.js';
import { insurerIncidents } from '../insurer-incidents.js';
import { clockWithSnapshots, snapshotProperties, snapshotRequired } from './params.js';

/** A snapshot as its insurer sees it: the signed tree, and the insurer's own people and records in it. */
export const ownSnapshotSchema = { type: 'object', required: [...snapshotRequired], properties: snapshotProperties } as const;

const schema = {
  summary: 'Les incidents qui concernent mon organisme',
  description:
    'Les incidents dont un instantané figé compte des adhérents de l’organisme de l’agent connecté, de la détection la plus récente à la plus ancienne : ' +
    'l’horloge de 72 heures (RGPD art. 33) et, par instantané, ses seules personnes et accès. Un incident qui ne compte aucun de ses adhérents n’apparaît pas.',
  tags: [tags.insurer],
  response: {
    200: {
      description: 'Les incidents',
      type: 'array',
      items: clockWithSnapshots(ownSnapshotSchema),
    },
  },
} as const;

/** GET /api/v1/insurer/incidents */
export function insurerIncidentsRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get('/api/v1/insurer/incidents', { schema }, (request) => insurerIncidents(options.db, agentInsurer(request), options.now()));
}
