import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { accountByRpps, accountTimeline } from '../console.js';
import { localTime } from '../local-time.js';
import { rppsParams } from './account-params.js';

const schema = {
  summary: 'Historique d’un compte',
  description:
    'Tout ce qui est arrivé à un compte de professionnel, du plus récent au plus ancien : décisions du bouclier (avec les signaux et les seuils franchis), ' +
    'alertes qui le nomment, suspensions et levées, événements d’authentification.',
  tags: [tags.security],
  params: rppsParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      avant: { type: 'string', format: 'date-time', description: 'Page suivante : les éléments antérieurs à cet instant' },
      limite: { type: 'integer', minimum: 1, maximum: 500, default: 200, description: 'Nombre d’éléments au plus' },
    },
  },
  response: {
    200: {
      description: 'L’historique',
      type: 'array',
      items: {
        type: 'object',
        required: ['le', 'type', 'resume', 'details'],
        properties: {
          le: { type: 'string', format: 'date-time' },
          type: { type: 'string', enum: ['decision', 'alerte', 'suspension', 'levee', 'authentification'] },
          resume: { type: 'string' },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
    ...errorResponses('ACCOUNT_UNKNOWN'),
  },
} as const;

export function accountTimelineRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get<{ Params: { rpps: string }; Querystring: { avant?: string; limite: number } }>('/api/v1/security/accounts/:rpps/timeline', { schema }, async (request) => {
    const now = options.now();
    const account = await accountByRpps(options.db, request.params.rpps, localTime(now.getTime()).day);
    const { avant, limite } = request.query;
    const items = await accountTimeline(options.db, account, { before: avant === undefined ? undefined : new Date(avant), limit: limite });
    return items.map((item) => ({ le: item.at.toISOString(), type: item.kind, resume: item.summary, details: item.details }));
  });
}
