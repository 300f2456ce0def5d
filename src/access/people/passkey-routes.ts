import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../http/plugins/access-policy.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { Access } from '../access.js';
import { recordAuthEvent } from '../auth-events.js';
import { activeProfessionalId, setSessionCookie } from './login-routes.js';
import type { People } from './people.js';
import { openSession, SESSION_SECONDS } from './sessions.js';

const body = { type: 'object', additionalProperties: true } as const;

/** Passkey ceremonies: registration for a logged-in professional, then login with it. */
export function passkeyRoutes(app: FastifyInstance, access: Access, people: People): void {
  app.post('/auth/passkey/register/options', async (request) => {
    const { professional } = contextOf(request);
    return people.passkeys.registrationOptions(professional.id, professional.rpps, access.now());
  });

  app.post<{ Body: RegistrationResponseJSON }>('/auth/passkey/register', { schema: { body } }, async (request) => {
    const { professional } = contextOf(request);
    await people.passkeys.register(professional.id, request.body, access.now());
    await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', reason: 'clé d’accès enregistrée', subject: professional.rpps, ip: request.ip, credential: `passkey ${request.body.id}` });
    return { enregistree: true };
  });

  app.post('/auth/passkey/login/options', async () => people.passkeys.authenticationOptions(access.now()));

  app.post<{ Body: AuthenticationResponseJSON }>('/auth/passkey/login', { schema: { body } }, async (request, reply) => {
    const now = access.now();
    try {
      const professionalId = await people.passkeys.authenticate(request.body, now);
      const rpps = await rppsOf(access, professionalId);
      await activeProfessionalId(access, rpps, now);
      setSessionCookie(reply, people, await openSession(access.db, professionalId, 'passkey', null, now), SESSION_SECONDS);
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', subject: rpps, ip: request.ip, credential: `passkey ${request.body.id}` });
      return { connecte: true };
    } catch (error) {
      const reason = error instanceof RempartError ? error.message : 'erreur';
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'failure', reason, ip: request.ip, credential: 'passkey' });
      throw error;
    }
  });
}

async function rppsOf(access: Access, professionalId: number): Promise<string> {
  const found = await access.db.transaction('platform', (tx) => tx.query<{ rpps: string }>('SELECT rpps FROM professional WHERE id = $1', [professionalId]));
  return found.rows[0]?.rpps ?? '';
}
