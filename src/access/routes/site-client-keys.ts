import type { FastifyInstance } from 'fastify';
import type { JSONWebKeySet } from 'jose';
import { RempartError } from '../../domain/errors/codes.js';
import { professionalContextOf } from '../../http/plugins/access-policy.js';
import type { Access } from '../access.js';
import { recordAuthEvent } from '../auth-events.js';
import { checkPublicJwks, createClient, replaceClientKeys } from '../clients.js';
import { actorOf } from '../request-context.js';
import { administeredSite, structureSchema } from './admin-sites.js';

const jwksSchema = { type: 'object', required: ['keys'], properties: { keys: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'object' } } } } as const;

const registerSchema = {
  body: {
    type: 'object',
    required: ['client', 'nom', 'structure', 'jwks'],
    additionalProperties: false,
    properties: {
      client: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' },
      nom: { type: 'string', minLength: 1, maxLength: 200 },
      structure: structureSchema,
      jwks: jwksSchema,
    },
  },
} as const;

const keysSchema = {
  params: { type: 'object', required: ['clientId'], properties: { clientId: { type: 'string', maxLength: 64 } } },
  body: { type: 'object', required: ['jwks'], additionalProperties: false, properties: { jwks: jwksSchema } },
} as const;

/**
 * A site's administrator registers the site's practice software with its public keys,
 * and rotates them (old and new published together, then the new alone). Both open or
 * widen access, so the policy asks for a recent proof of presence (step-up).
 */
export function siteClientKeyRoutes(app: FastifyInstance, access: Access): void {
  app.post<{ Body: { client: string; nom: string; structure: string; jwks: JSONWebKeySet } }>(
    '/api/v1/site/clients',
    { schema: registerSchema },
    async (request, reply) => {
      const context = professionalContextOf(request);
      const siteId = await administeredSite(access.db, context.adminSites, request.body.structure);
      const jwks = checkPublicJwks(request.body.jwks);
      if (!(await createClient(access.db, { clientId: request.body.client, siteId, name: request.body.nom, jwks }))) throw new RempartError('CLIENT_CONFLICT');
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', reason: 'logiciel enregistré', clientId: request.body.client, subject: actorOf(context), ip: request.ip });
      return reply.code(201).send({ client: request.body.client, statut: 'active' });
    },
  );

  app.put<{ Params: { clientId: string }; Body: { jwks: JSONWebKeySet } }>(
    '/api/v1/site/clients/:clientId/keys',
    { schema: keysSchema },
    async (request) => {
      const context = professionalContextOf(request);
      const jwks = checkPublicJwks(request.body.jwks);
      if (!(await replaceClientKeys(access.db, request.params.clientId, context.adminSites, jwks))) throw new RempartError('CLIENT_UNKNOWN');
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', reason: `clés publiées (${jwks.keys.length})`, clientId: request.params.clientId, subject: actorOf(context), ip: request.ip });
      return { client: request.params.clientId, cles: jwks.keys.length };
    },
  );
}
