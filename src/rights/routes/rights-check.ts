import type { FastifyInstance } from 'fastify';
import { structureSchema } from '../../access/sites.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { callerOf } from '../../access/caller.js';
import { checkRights, type RightsAnswer, type RightsDeps } from '../check-rights.js';
import { readRightsQuery, rightsCheckBodySchema, type RightsCheckBody } from '../rights-query.js';

const schema = {
  summary: 'Identification des droits (IDB)',
  description:
    'Le patient est-il couvert ce jour pour les soins de votre activité ? Réponse : les domaines couverts et leur garantie, ' +
    'avec un numéro d’engagement ; ou « non couvert », sans autre précision, quelle qu’en soit la raison.',
  tags: [tags.care],
  body: {
    ...rightsCheckBodySchema,
    properties: { ...rightsCheckBodySchema.properties, structure: { ...structureSchema, description: 'FINESS ou SIRET de la structure (sessions de personnes seulement)' } },
    examples: [{ amc: '12345678', adherent: 'A123456', nir: '284067512345688', naissance: '1984-06-21', rang: 1, dateSoins: '2026-03-02', domaine: 'PHAR' }],
  },
  response: {
    200: {
      description: 'Couvert (domaines, garanties, engagement) ou non couvert, sans autre précision',
      type: 'object',
      required: ['couvert'],
      properties: {
        couvert: { type: 'boolean' },
        domaines: {
          type: 'array',
          description: 'Les domaines de soins de votre activité couverts ce jour (absent si non couvert)',
          items: {
            type: 'object',
            properties: {
              domaine: { type: 'string', description: 'Code du domaine (PHAR, MED…)' },
              libelle: { type: 'string' },
              garantie: { type: 'string', description: 'La garantie telle que sur la carte, p. ex. « 200% BR »' },
              plafondAnnuelCentimes: { type: ['integer', 'null'], description: 'Plafond annuel, en centimes ; null sans plafond' },
            },
          },
        },
        engagement: {
          type: 'object',
          description: 'L’engagement de l’organisme, lié à votre structure et à vous : à reprendre pour le calcul et la facture (absent si non couvert)',
          properties: { numero: { type: 'string' }, expiration: { type: 'string', format: 'date-time' } },
        },
      },
    },
    ...errorResponses(
      'IDENTIFIER_EMPTY', 'IDENTIFIER_LENGTH', 'IDENTIFIER_CHARACTERS', 'IDENTIFIER_KEY',
      'NIR_SEX', 'NIR_MONTH', 'NIR_DEPARTMENT', 'NIR_COMMUNE', 'NIR_ORDER',
      'DATE_INVALID', 'CARE_DOMAIN_UNKNOWN', 'CARE_DOMAIN_FORBIDDEN', 'AMC_UNKNOWN', 'SITE_UNKNOWN',
    ),
  },
} as const;

/** POST /api/v1/rights/check: the IDB, for practice software and professionals on the pages. */
export function rightsCheckRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.post<{ Body: RightsCheckBody & { structure?: string } }>('/api/v1/rights/check', { schema }, async (request) => {
    const now = options.now();
    const query = readRightsQuery(request.body, now);
    const caller = await callerOf(options.db, request, request.body.structure, now);
    return rightsResponse(await checkRights(options, caller, query, now));
  });
}

export function rightsResponse(answer: RightsAnswer): object {
  if (!answer.covered) return { couvert: false };
  return {
    couvert: true,
    domaines: answer.domains.map((d) => ({ domaine: d.domain, libelle: d.label, garantie: d.guarantee, plafondAnnuelCentimes: d.annualCeilingCents })),
    engagement: { numero: answer.engagement.number, expiration: answer.engagement.expiresAt.toISOString() },
  };
}
