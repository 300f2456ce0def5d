import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../../access/access-policy.js';
import { LINK_MINUTES } from '../links.js';
import { memberBodyProperties, memberRequired, readMemberQuery, type MemberBody } from '../member.js';
import { createLink, type TransparencyDeps } from '../transparency.js';

const schema = {
  summary: 'Lien vers la page « Qui a consulté mes droits »',
  description:
    `Le portail adhérents demande un lien pour l’un de ses bénéficiaires, puis y redirige le navigateur de l’assuré : la page de la plateforme ` +
    `liste en clair qui a consulté ses droits. Le lien sert une seule fois, dans les ${LINK_MINUTES} minutes ; il n’est gardé que haché. ` +
    'Bénéficiaire inconnu ou d’un autre organisme : le même refus `MEMBER_UNKNOWN`.',
  tags: [tags.transparency],
  body: {
    type: 'object',
    required: memberRequired,
    additionalProperties: false,
    properties: memberBodyProperties,
    examples: [{ adherent: 'A123456', nir: '284067512345688', naissance: '1984-06-21', rang: 1 }],
  },
  response: {
    201: {
      description: 'Le lien, à usage unique',
      type: 'object',
      required: ['lien', 'expiration'],
      properties: {
        lien: { type: 'string', description: 'URL de la page, à ouvrir dans le navigateur de l’assuré (redirection 303)' },
        expiration: { type: 'string', format: 'date-time' },
      },
    },
    ...errorResponses(
      'IDENTIFIER_EMPTY', 'IDENTIFIER_LENGTH', 'IDENTIFIER_CHARACTERS', 'IDENTIFIER_KEY',
      'NIR_SEX', 'NIR_MONTH', 'NIR_DEPARTMENT', 'NIR_COMMUNE', 'NIR_ORDER', 'DATE_INVALID', 'MEMBER_UNKNOWN',
    ),
  },
} as const;

/** POST /api/v1/transparency/links: a single-use, short-lived link to a member's history page. */
export function linksRoute(app: FastifyInstance, deps: TransparencyDeps): void {
  app.post<{ Body: MemberBody }>('/api/v1/transparency/links', { schema }, async (request, reply) => {
    const link = await createLink(deps, contextOf(request, 'portal'), readMemberQuery(request.body, deps.now()));
    // The link is a credential: no cache on the way back to the portal.
    return reply.status(201).header('cache-control', 'no-store').send({ lien: link.url, expiration: link.expiresAt.toISOString() });
  });
}
