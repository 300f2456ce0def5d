import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { structureSchema } from '../../access/sites.js';
import type { CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { calculateBodySchema, readLines, type LineBody } from '../coverage-request.js';
import { agreementResponse, agreementSchema, staySchema } from '../prior-agreement-response.js';
import { requestPriorAgreement, type QuoteLine } from '../prior-agreements.js';

export type QuoteLineBody = LineBody & { datePrescription?: CalendarDate };

export interface AgreementBody {
  engagement: string;
  dateSoins: CalendarDate;
  lignes: QuoteLineBody[];
  sejour?: { joursPrevus: number; chambreParticuliere?: boolean };
  structure?: string;
}

const lineItems = calculateBodySchema.properties.lignes.items;

/** Exported for the FHIR Claim (src/fhir), read into this body and checked against it too. */
export const agreementRequestSchema = {
  summary: 'Demande d’accord préalable (PEC)',
  description:
    'Sur le devis d’un équipement d’optique, d’aides auditives ou de prothèses dentaires, ou d’un séjour hospitalier (HOSP, avec `sejour`), sous un engagement donné à votre structure : ' +
    'le montant accordé par ligne et sa règle, réservé sur les plafonds du bénéficiaire jusqu’à la facture, l’annulation ou la fin de validité. ' +
    'Un équipement dans son délai de renouvellement est refusé (règle renewal_period). Montants en centimes.',
  tags: [tags.care],
  body: {
    type: 'object',
    required: ['engagement', 'dateSoins', 'lignes'],
    additionalProperties: false,
    properties: {
      engagement: calculateBodySchema.properties.engagement,
      dateSoins: { type: 'string', format: 'date', description: 'Date prévue des soins (délivrance ; admission pour un séjour, au plus 30 jours passés), au plus tôt celle de l’engagement, au plus tard la fin de validité de l’accord' },
      sejour: { ...staySchema, description: 'Séjour hospitalier : obligatoire en HOSP, refusé ailleurs (HOSPITAL_STAY_INVALID)' },
      lignes: {
        ...calculateBodySchema.properties.lignes,
        items: { ...lineItems, properties: { ...lineItems.properties, datePrescription: { type: 'string', format: 'date', description: 'Date de l’ordonnance' } } },
      },
      structure: { ...structureSchema, description: 'FINESS ou SIRET (sessions de personnes seulement)' },
    },
    examples: [
      { engagement: 'E12345678-ABCDEFGHIJKLMNOP', dateSoins: '2026-03-02', lignes: [{ acte: 'MON', domaine: 'OPTI', quantite: 1, prix: 9000, base: 5, tauxAmo: 60, dispositif: 'monture' }] },
      {
        engagement: 'E12345678-ABCDEFGHIJKLMNOP', dateSoins: '2026-03-02', sejour: { joursPrevus: 3, chambreParticuliere: true },
        lignes: [
          { acte: 'FJ', domaine: 'HOSP', quantite: 3, prix: 2000, base: 2000, tauxAmo: 0 },
          { acte: 'GHS', domaine: 'HOSP', quantite: 1, prix: 300000, base: 300000, tauxAmo: 80 },
          { acte: 'ADC', domaine: 'HOSP', quantite: 1, prix: 45000, base: 30000, tauxAmo: 100, optam: false },
          { acte: 'CP', domaine: 'HOSP', quantite: 3, prix: 8000, base: 0, tauxAmo: 0 },
        ],
      },
    ],
  },
  response: {
    201: { description: 'L’accord, accordé, partiel ou refusé', ...agreementSchema },
    ...errorResponses('FIELD_MISSING', 'FIELD_INVALID', 'CARE_DOMAIN_UNKNOWN', 'ENGAGEMENT_UNKNOWN', 'CARE_DOMAIN_NOT_ENGAGED', 'PRIOR_AGREEMENT_DOMAIN',
      'PRIOR_AGREEMENT_CARE_DATE', 'HOSPITAL_STAY_INVALID', 'PRESCRIPTION_AFTER_CARE', 'OPTICAL_EQUIPMENT_INVALID', 'SITE_UNKNOWN'),
  },
} as const;

/** POST /api/v1/prior-agreements: a quote's prior agreement, for practice software and professionals on the pages. */
export function priorAgreementRequestRoute(app: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  app.post<{ Body: AgreementBody }>('/api/v1/prior-agreements', { schema: agreementRequestSchema }, async (request, reply) => {
    const now = options.now();
    const lines = quoteLines(request.body);
    const caller = await callerOf(options.db, request, request.body.structure, now);
    const { engagement, dateSoins, sejour } = request.body;
    const stay = sejour === undefined ? {} : { stay: { expectedDays: sejour.joursPrevus, privateRoom: sejour.chambreParticuliere === true } };
    const agreement = await requestPriorAgreement(options, caller, { engagement, careDate: dateSoins, lines, ...stay }, now);
    return reply.code(201).send(agreementResponse(agreement));
  });
}

/** The calculation's lines, with the prescription each keeps; an ordonnance written after the care is refused. */
export function quoteLines(body: AgreementBody): QuoteLine[] {
  const lines = readLines(body.lignes);
  return body.lignes.map((line, index) => {
    const prescription = line.datePrescription;
    if (prescription !== undefined && prescription > body.dateSoins) throw new RempartError('PRESCRIPTION_AFTER_CARE', `lignes/${index}/datePrescription : ${prescription}`);
    return { line: lines[index] as QuoteLine['line'], ...(prescription === undefined ? {} : { prescriptionDate: prescription }) };
  });
}
