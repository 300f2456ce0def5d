import type { FastifyInstance } from 'fastify';
import type { JSONWebKeySet } from 'jose';
import { RempartError } from '../../domain/errors/codes.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';
import type { Database } from '../../db/database.js';
import { checkPublicJwks, createClient, replaceClientKeys } from '../clients.js';
import { recordEnrolment } from '../enrolments.js';
import { actorOf } from '../request-context.js';
import { administeredSite, structureSchema } from '../sites.js';

const jwksSchema = {
  type: 'object',
  required: ['keys'],
  description: 'JWKS des clés publiques du logiciel (RFC 7517) : de 1 à 10 clés, chacune avec « kty », sans partie privée ni secrète',
  properties: { keys: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'object' } } },
} as const;

const registerSchema = {
  summary: 'Enregistrer un logiciel',
  description:
    'Enregistre un logiciel pour une de vos structures, avec ses clés publiques : il pourra ensuite demander des jetons (private_key_jwt). ' +
    'Ouvre un accès : demande une preuve forte récente (clé d’accès ou Pro Santé Connect) donnée depuis cet appareil ou ce réseau. ' +
    'Le logiciel cesse de servir tant que vous êtes suspendu, quel que soit le professionnel pour qui il agit.',
  tags: [tags.site],
  body: {
    type: 'object',
    required: ['client', 'nom', 'structure', 'jwks'],
    additionalProperties: false,
    properties: {
      client: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', description: 'Identifiant choisi pour le logiciel : iss et sub de ses assertions' },
      nom: { type: 'string', minLength: 1, maxLength: 200, description: 'Nom lisible (éditeur, poste…)' },
      structure: { ...structureSchema, description: 'FINESS ou SIRET d’une structure que vous administrez' },
      jwks: jwksSchema,
    },
  },
  response: {
    201: {
      description: 'Logiciel enregistré, actif',
      type: 'object',
      required: ['client', 'statut'],
      properties: { client: { type: 'string' }, statut: { type: 'string', enum: ['active'] } },
    },
    ...errorResponses('SITE_UNKNOWN', 'FIELD_INVALID', 'CLIENT_CONFLICT'),
  },
} as const;

const keysSchema = {
  summary: 'Remplacer les clés publiques d’un logiciel',
  description:
    'Publie le nouveau jeu de clés d’un logiciel de vos structures, qui remplace l’ancien : pour une rotation sans coupure, publier l’ancienne et la nouvelle, ' +
    'puis la nouvelle seule. Demande une preuve forte récente (clé d’accès ou Pro Santé Connect) donnée depuis cet appareil ou ce réseau ; ' +
    'le logiciel vous est alors rattaché : il cesse de servir tant que vous êtes suspendu.',
  tags: [tags.site],
  params: { type: 'object', required: ['clientId'], properties: { clientId: { type: 'string', maxLength: 64, description: 'Identifiant du logiciel' } } },
  body: { type: 'object', required: ['jwks'], additionalProperties: false, properties: { jwks: jwksSchema } },
  response: {
    200: {
      description: 'Clés publiées',
      type: 'object',
      required: ['client', 'cles'],
      properties: { client: { type: 'string' }, cles: { type: 'integer', description: 'Nombre de clés publiées' } },
    },
    ...errorResponses('FIELD_INVALID', 'CLIENT_UNKNOWN'),
  },
} as const;

/**
 * A site's administrator registers the site's practice software with its public keys,
 * and rotates them (old and new published together, then the new alone). Both open or
 * widen access: the policy asks for a fresh strong proof, and each is an enrolment, shown
 * to the professional and to the security console.
 */
export function siteClientKeyRoutes(app: FastifyInstance, options: { db: Database }): void {
  app.post<{ Body: { client: string; nom: string; structure: string; jwks: JSONWebKeySet } }>(
    '/api/v1/site/clients',
    { schema: registerSchema },
    async (request, reply) => {
      const context = contextOf(request, 'professional');
      const siteId = await administeredSite(options.db, context.adminSites, request.body.structure);
      const jwks = checkPublicJwks(request.body.jwks);
      const created = await createClient(options.db, { clientId: request.body.client, siteId, name: request.body.nom, jwks }, context.professional.id);
      if (!created) throw new RempartError('CLIENT_CONFLICT');
      await recordEnrolment(options.db, request, actorOf(context), `logiciel ${request.body.client} enregistré`, { clientId: request.body.client });
      return reply.code(201).send({ client: request.body.client, statut: 'active' });
    },
  );

  app.put<{ Params: { clientId: string }; Body: { jwks: JSONWebKeySet } }>(
    '/api/v1/site/clients/:clientId/keys',
    { schema: keysSchema },
    async (request) => {
      const context = contextOf(request, 'professional');
      const jwks = checkPublicJwks(request.body.jwks);
      if (!(await replaceClientKeys(options.db, request.params.clientId, context.adminSites, jwks, context.professional.id))) throw new RempartError('CLIENT_UNKNOWN');
      await recordEnrolment(options.db, request, actorOf(context), `logiciel ${request.params.clientId} : clés publiées (${jwks.keys.length})`, { clientId: request.params.clientId });
      return { client: request.params.clientId, cles: jwks.keys.length };
    },
  );
}
