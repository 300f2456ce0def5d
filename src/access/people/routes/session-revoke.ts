import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/database.js';
import { RempartError } from '../../../domain/errors/codes.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { contextOf } from '../../access-policy.js';
import { recordAuthEvent } from '../../auth-events.js';
import { accountRefOf, actorOf } from '../../request-context.js';
import { revokeSessionOf } from '../open-sessions.js';
import { provedFrom } from '../sessions.js';

const schema = {
  summary: 'Fermer une de mes sessions',
  description:
    'Ferme à l’instant une session ouverte de la personne connectée, désignée par l’identifiant que montre la page /moi (jamais le cookie) : ' +
    'celle d’un autre appareil, ou celle-ci. Sans confirmation d’identité : la protection passe avant.',
  tags: [tags.passkeys],
  params: { type: 'object', required: ['sessionRef'], properties: { sessionRef: { type: 'string', pattern: '^[0-9a-f]{16}$', description: 'Identifiant de la session' } } },
  response: {
    200: { description: 'Session fermée', type: 'object', required: ['fermee'], properties: { fermee: { type: 'boolean', enum: [true] } } },
    ...errorResponses('SESSION_UNKNOWN'),
  },
} as const;

/** A person closes one of their own sessions, e.g. one they do not recognise on /moi. */
export function sessionRevokeRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.post<{ Params: { sessionRef: string } }>('/auth/sessions/:sessionRef/revoke', { schema }, async (request) => {
    const context = contextOf(request, 'person');
    const { sessionRef } = request.params;
    if (!(await revokeSessionOf(options.db, accountRefOf(context), sessionRef, options.now()))) throw new RempartError('SESSION_UNKNOWN');
    const here = provedFrom(request);
    await recordAuthEvent(options.db, { kind: 'revocation', outcome: 'success', reason: `session ${sessionRef} fermée`, subject: actorOf(context), ip: here.ip, device: here.device });
    return { fermee: true };
  });
}
