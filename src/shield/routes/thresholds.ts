import type { FastifyInstance } from 'fastify';
import { tags } from '../../http/api-docs.js';
import { defaultThresholds, invoiceDelays } from '../config.js';
import type { Shield } from '../engine.js';

const schema = {
  summary: 'Seuils du bouclier',
  description:
    'Les seuils en vigueur sur cette instance (les valeurs par défaut, ou le fichier REMPART_SHIELD_THRESHOLDS), sous les noms de ce fichier, ' +
    'si le bouclier est actif, et les délais de facturation par profil : au-delà, un engagement sans facture compte comme jamais facturé.',
  tags: [tags.security],
  response: {
    200: {
      description: 'Les seuils',
      type: 'object',
      required: ['actif', 'seuils', 'delaisFacturation'],
      properties: {
        actif: { type: 'boolean' },
        seuils: {
          type: 'object',
          required: Object.keys(defaultThresholds),
          properties: Object.fromEntries(Object.keys(defaultThresholds).map((name) => [name, { type: 'number' }])),
        },
        delaisFacturation: {
          type: 'object',
          description: 'Jours après l’engagement, par profil (pharmacy, physician…)',
          required: Object.keys(invoiceDelays),
          properties: Object.fromEntries(Object.keys(invoiceDelays).map((profile) => [profile, { type: 'integer' }])),
        },
      },
    },
  },
} as const;

export function thresholdsRoute(app: FastifyInstance, shield: Shield): void {
  app.get('/api/v1/security/shield/thresholds', { schema }, () => ({ actif: shield.enabled, seuils: shield.thresholds, delaisFacturation: invoiceDelays }));
}
