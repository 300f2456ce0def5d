import type { FastifyInstance } from 'fastify';
import { structureSchema } from '../../access/sites.js';
import { coverageRules } from '../../domain/coverage/calculation-types.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { callerOf } from '../../access/caller.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { calculateForEngagement, type Calculation } from '../calculate.js';
import { calculateBodySchema, readLines, type CalculateBody } from '../coverage-request.js';

const centimes = { type: 'integer' } as const;
const amounts = { prix: centimes, amo: centimes, amoVerse: centimes, amc: centimes, patient: centimes } as const;

const schema = {
  summary: 'Calcul de la part complémentaire (CLC)',
  description:
    'Sous un engagement donné à votre structure, la part de l’organisme complémentaire (AMC) et le reste à charge de chaque ligne, ' +
    'avec la règle appliquée. Montants en centimes ; la participation forfaitaire et les franchises restent au patient.',
  tags: [tags.care],
  body: {
    ...calculateBodySchema,
    properties: { ...calculateBodySchema.properties, structure: { ...structureSchema, description: 'FINESS ou SIRET (sessions de personnes seulement)' } },
    examples: [{ engagement: 'E12345678-ABCDEFGHIJKLMNOP', lignes: [{ acte: 'G', domaine: 'MED', quantite: 1, prix: 3000, base: 3000, tauxAmo: 70, participationForfaitaire: 200 }] }],
  },
  response: {
    200: {
      description: 'Les parts de chaque ligne et leurs totaux, en centimes',
      type: 'object',
      properties: {
        engagement: { type: 'string' },
        dateSoins: { type: 'string', format: 'date', description: 'La date des soins de l’engagement' },
        lignes: {
          type: 'array',
          description: 'Dans l’ordre des lignes de la demande',
          items: {
            type: 'object',
            properties: {
              ...amounts,
              plafondConsomme: { ...centimes, description: 'Part du plafond de la garantie (sur sa période, par bénéficiaire ou par côté) que consomme la ligne' },
              regle: { type: 'string', enum: Object.keys(coverageRules), description: 'Code stable de la règle appliquée ; son libellé en français dans `libelle`' },
              libelle: { type: 'string' },
            },
          },
        },
        totaux: { type: 'object', properties: amounts },
      },
    },
    ...errorResponses('FIELD_MISSING', 'FIELD_INVALID', 'CARE_DOMAIN_UNKNOWN', 'ENGAGEMENT_UNKNOWN', 'CARE_DOMAIN_NOT_ENGAGED', 'OPTICAL_EQUIPMENT_INVALID', 'SITE_UNKNOWN'),
  },
} as const;

/** POST /api/v1/coverage/calculate: the CLC, for practice software and professionals on the pages. */
export function coverageCalculateRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.post<{ Body: CalculateBody & { structure?: string } }>('/api/v1/coverage/calculate', { schema }, async (request) => {
    const now = options.now();
    const lines = readLines(request.body.lignes);
    const caller = await callerOf(options.db, request, request.body.structure, now);
    return calculationResponse(await calculateForEngagement(options, caller, request.body.engagement, lines, now));
  });
}

export function calculationResponse(calculation: Calculation): object {
  const { lines, totals } = calculation.result;
  return {
    engagement: calculation.engagement,
    dateSoins: calculation.careDate,
    lignes: lines.map((line) => ({
      prix: line.priceCents, amo: line.amoCents, amoVerse: line.amoPaidCents, amc: line.amcCents, patient: line.patientCents,
      plafondConsomme: line.ceilingConsumedCents, regle: line.rule, libelle: line.label,
    })),
    totaux: { prix: totals.priceCents, amo: totals.amoCents, amoVerse: totals.amoPaidCents, amc: totals.amcCents, patient: totals.patientCents },
  };
}
