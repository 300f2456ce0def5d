import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../../access/access-policy.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { confirmChange, type ChangeOptions } from '../changes.js';
import { confirmedSchema, structureBody } from './schemas.js';

const schema = {
  summary: 'Confirmer un changement de compte bancaire',
  description:
    'Un autre administrateur de la structure que celui qui l’a proposé confirme le changement en attente ; le délai avant qu’il prenne effet court dès lors. ' +
    'Demande une preuve forte récente donnée depuis cet appareil ou ce réseau.',
  tags: [tags.site],
  body: structureBody,
  response: { 200: confirmedSchema, ...errorResponses('SITE_UNKNOWN', 'BANK_CHANGE_UNKNOWN', 'BANK_CHANGE_OWN', 'BANK_CHANGE_OPERATOR_ONLY') },
} as const;

export function bankAccountConfirmRoute(app: FastifyInstance, options: ChangeOptions): void {
  app.post<{ Body: { structure: string } }>('/api/v1/site/bank-account/pending/confirm', { schema }, async (request) => {
    const { adminSites, professional } = contextOf(request, 'professional');
    const site = { structure: request.body.structure, adminSites };
    const done = await confirmChange(options, request, { label: `RPPS ${professional.rpps}`, by: { professional: professional.id } }, site);
    return { version: done.version, effectifLe: done.effectiveFrom.toISOString() };
  });
}
