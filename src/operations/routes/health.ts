import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { platformHealth } from '../health.js';

const nullable = (properties: Record<string, unknown>, required: string[]): Record<string, unknown> => ({ type: ['object', 'null'], required, properties });

const schema = {
  summary: 'L’état de la plateforme',
  description:
    'Ce que surveille l’opérateur : la base répond, le journal des accès est scellé (dernier point de contrôle signé), la paie du jour est partie, ' +
    'et ce qui attend une personne (alertes ouvertes, changements de compte bancaire à confirmer). Des nombres et des dates, aucune personne.',
  tags: [tags.staff],
  response: {
    200: {
      type: 'object',
      required: ['base', 'le', 'journal', 'alertesOuvertes', 'dernierePaie', 'changementsBancairesEnAttente'],
      properties: {
        base: { type: 'string', description: '`pglite` (embarquée) ou `postgres`' },
        le: { type: 'string', format: 'date-time' },
        journal: nullable({ enregistrements: { type: 'integer' }, signeLe: { type: 'string', format: 'date-time' } }, ['enregistrements', 'signeLe']),
        alertesOuvertes: { type: 'object', required: ['plateforme', 'compte'], properties: { plateforme: { type: 'integer' }, compte: { type: 'integer' } } },
        dernierePaie: nullable({
          date: { type: 'string', format: 'date' }, virements: { type: 'integer' }, factures: { type: 'integer' },
          montant: { type: 'integer', description: 'centimes' }, enregistreeLe: { type: 'string', format: 'date-time' },
        }, ['date', 'virements', 'factures', 'montant', 'enregistreeLe']),
        changementsBancairesEnAttente: { type: 'integer' },
      },
    },
  },
} as const;

export function healthRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get('/api/v1/admin/health', { schema }, async () => {
    const health = await platformHealth(options.db, options.now());
    return {
      base: health.engine,
      le: health.checkedAt.toISOString(),
      journal: health.checkpoint && { enregistrements: health.checkpoint.treeSize, signeLe: health.checkpoint.at.toISOString() },
      alertesOuvertes: { plateforme: health.openAlerts.platform, compte: health.openAlerts.account },
      dernierePaie: health.lastRun && {
        date: health.lastRun.date, virements: health.lastRun.transfers, factures: health.lastRun.invoices,
        montant: health.lastRun.amountCents, enregistreeLe: health.lastRun.recordedAt.toISOString(),
      },
      changementsBancairesEnAttente: health.pendingBankChanges,
    };
  });
}
