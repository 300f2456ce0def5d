import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/database.js';
import { RempartError } from '../../../domain/errors/codes.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { contextOf } from '../../access-policy.js';
import { recordEnrolment } from '../../enrolments.js';
import { accountRefOf, actorOf } from '../../request-context.js';
import { revokePasskey } from '../account-passkeys.js';

const schema = {
  summary: 'Retirer une de mes clés d’accès',
  description:
    'Retire une clé d’accès de la personne connectée : elle ne permet plus de se connecter ni de confirmer son identité. ' +
    'Demande une preuve forte récente donnée depuis cet appareil ou ce réseau ; le retrait est inscrit dans la liste des enrôlements.',
  tags: [tags.passkeys],
  params: { type: 'object', required: ['credentialId'], properties: { credentialId: { type: 'string', minLength: 1, maxLength: 1024, description: 'Identifiant de la clé, base64url' } } },
  response: {
    200: { description: 'Clé retirée', type: 'object', required: ['retiree'], properties: { retiree: { type: 'boolean', enum: [true] } } },
    ...errorResponses('PASSKEY_UNKNOWN'),
  },
} as const;

/** A person withdraws one of their passkeys (lost device, or one they do not recognise on /moi). */
export function passkeyRevokeRoute(app: FastifyInstance, options: { db: Database }): void {
  app.post<{ Params: { credentialId: string } }>('/auth/passkeys/:credentialId/revoke', { schema }, async (request) => {
    const context = contextOf(request, 'person');
    const { credentialId } = request.params;
    // Another account's passkey is "unknown" here: no oracle on whose it is.
    if (!(await revokePasskey(options.db, accountRefOf(context), credentialId))) throw new RempartError('PASSKEY_UNKNOWN');
    await recordEnrolment(options.db, request, actorOf(context), 'clé d’accès retirée', { credential: `passkey ${credentialId}` });
    return { retiree: true };
  });
}
