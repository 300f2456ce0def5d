import type { FastifyInstance } from 'fastify';
import { tags } from '../../http/api-docs.js';
import { defaultThresholds } from '../config.js';
import type { Shield } from '../engine.js';

const schema = {
  summary: 'Seuils du bouclier',
  description:
    'Les seuils en vigueur sur cette instance (les valeurs par défaut, ou le fichier REMPART_SHIELD_THRESHOLDS), sous les noms de ce fichier, ' +
    'et si le bouclier est actif.',
  tags: [tags.security],
  response: {
    200: {
      description: 'Les seuils',
      type: 'object',
      required: ['actif', 'seuils'],
      properties: {
        actif: { type: 'boolean' },
        seuils: {
          type: 'object',
          required: Object.keys(defaultThresholds),
          properties: Object.fromEntries(Object.keys(defaultThresholds).map((name) => [name, { type: 'number' }])),
        },
      },
    },
  },
} as const;

export function thresholdsRoute(app: FastifyInstance, shield: Shield): void {
  app.get('/api/v1/security/shield/thresholds', { schema }, () => ({ actif: shield.enabled, seuils: shield.thresholds }));
}
