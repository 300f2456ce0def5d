import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { listAlerts, type AlertView } from '../console.js';

const nullableText = { type: ['string', 'null'] } as const;

/** An alert as the console shows it (also the shape of one item of the list). */
export const alertSchema = {
  type: 'object',
  required: ['alerte', 'le', 'type', 'rpps', 'resume', 'comptes', 'details', 'acquittement'],
  properties: {
    alerte: { type: 'integer' },
    le: { type: 'string', format: 'date-time' },
    type: { type: 'string', enum: ['compte', 'plateforme'], description: '`compte` : un compte suspendu par le bouclier ; `plateforme` : un signal d’ensemble (moissonnage coordonné)' },
    rpps: { ...nullableText, description: 'Le compte d’une alerte de compte' },
    resume: { type: 'string' },
    comptes: { type: 'array', items: { type: 'string' }, description: 'Les RPPS de tous les comptes en cause' },
    details: { type: 'object', additionalProperties: true, description: 'Signaux, seuils franchis, suspension…' },
    acquittement: {
      type: ['object', 'null'],
      required: ['par', 'le', 'motif'],
      properties: { par: { type: 'string' }, le: { type: 'string', format: 'date-time' }, motif: { type: 'string' } },
    },
  },
} as const;

const schema = {
  summary: 'Alertes du bouclier',
  description:
    'Les alertes du bouclier anti-moissonnage : comptes suspendus, signaux d’ensemble de la plateforme. ' +
    'Les alertes ouvertes d’abord, puis des plus récentes aux plus anciennes, par pages.',
  tags: [tags.security],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ouvertes: { type: 'boolean', default: false, description: '`true` : les alertes non acquittées seulement' },
      avant: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Page suivante : les alertes qui suivent celle-ci dans l’ordre de la liste' },
      limite: { type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'Nombre d’alertes au plus' },
    },
  },
  response: { 200: { description: 'Les alertes', type: 'array', items: alertSchema } },
} as const;

export function alertView(alert: AlertView): Record<string, unknown> {
  return {
    alerte: alert.id,
    le: alert.at.toISOString(),
    type: alert.kind === 'account' ? 'compte' : 'plateforme',
    rpps: alert.rpps,
    resume: alert.summary,
    comptes: alert.accounts,
    details: alert.details,
    acquittement: alert.acknowledgement && { par: alert.acknowledgement.by, le: alert.acknowledgement.at.toISOString(), motif: alert.acknowledgement.reason },
  };
}

export function alertsRoute(app: FastifyInstance, options: { db: Database }): void {
  app.get<{ Querystring: { ouvertes: boolean; avant?: number; limite: number } }>('/api/v1/security/alerts', { schema }, async (request) => {
    const { ouvertes, avant, limite } = request.query;
    return (await listAlerts(options.db, { openOnly: ouvertes, before: avant, limit: limite })).map(alertView);
  });
}
