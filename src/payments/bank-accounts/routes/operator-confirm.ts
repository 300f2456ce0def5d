import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../../access/access-policy.js';
import { errorResponses, idParam, tags } from '../../../http/api-docs.js';
import { confirmChange, type ChangeOptions } from '../changes.js';
import { confirmedSchema } from './schemas.js';

const schema = {
  summary: 'Confirmer, pour l’opérateur, un changement de compte bancaire',
  description:
    'L’opérateur confirme le changement en attente d’une structure, après l’avoir vérifié avec elle hors de la plateforme ; seul lui confirme ' +
    'un changement proposé depuis un appareil ou un réseau nouveau. Le délai avant qu’il prenne effet court dès lors. Demande une preuve forte récente.',
  tags: [tags.staff],
  params: idParam('siteId'),
  response: { 200: confirmedSchema, ...errorResponses('BANK_CHANGE_UNKNOWN') },
} as const;

export function operatorConfirmRoute(app: FastifyInstance, options: ChangeOptions): void {
  app.post<{ Params: { siteId: number } }>('/api/v1/admin/sites/:siteId/bank-account/confirm', { schema }, async (request) => {
    const { staff } = contextOf(request, 'staff');
    const done = await confirmChange(options, request, { label: `agent ${staff.subject}`, by: { staff: staff.id } }, { siteId: request.params.siteId });
    return { version: done.version, effectifLe: done.effectiveFrom.toISOString() };
  });
}
