import { coverageRules, type CoverageRule } from '../domain/coverage/calculation-types.js';
import type { PriorAgreement } from './prior-agreements.js';

/** The statuses in the API's words. */
const statuses = { granted: 'accorde', partial: 'partiel', refused: 'refuse', cancelled: 'annule', expired: 'expire', invoiced: 'facture' } as const satisfies Record<PriorAgreement['status'], string>;

const centimes = { type: 'integer' } as const;

/** A hospital stay, as asked (HOSP only): the request's field and the answer's echo. */
export const staySchema = {
  type: 'object',
  required: ['joursPrevus'],
  additionalProperties: false,
  properties: {
    joursPrevus: { type: 'integer', description: 'Nombre de jours prévus, comptés comme le forfait journalier (une unité par jour) : de 1 à 365' },
    chambreParticuliere: { type: 'boolean', default: false, description: 'Chambre particulière demandée : le devis la chiffre alors par une ligne d’acte CP (une unité par jour)' },
  },
} as const;

/** The answer to a request and to a consultation: one shape. */
export const agreementSchema = {
  type: 'object',
  properties: {
    numero: { type: 'string', description: 'Numéro de l’accord, à reporter sur la facture' },
    statut: { type: 'string', enum: Object.values(statuses), description: 'accorde, partiel (une ligne réduite par un plafond ou un délai de renouvellement), refuse ; puis annule, expire ou facture (une facture a consommé sa réservation)' },
    engagement: { type: 'string' },
    domaine: { type: 'string' },
    dateSoins: { type: 'string', format: 'date', description: 'Date prévue des soins (délivrance de l’équipement, admission à l’hôpital)' },
    sejour: { ...staySchema, description: 'Le séjour demandé (hospitalisation seulement)' },
    finValidite: { type: 'string', format: 'date', description: 'Dernier jour où une facture peut s’appuyer sur l’accord' },
    toleranceFacturation: { ...centimes, description: 'Ce que la part complémentaire facturée peut dépasser du montant accordé, en centimes (0 : l’accord est un maximum)' },
    demande: { ...centimes, description: 'Total demandé : prix moins part de l’assurance maladie obligatoire' },
    accorde: { ...centimes, description: 'Total accordé, réservé sur les plafonds jusqu’à la facture, l’annulation ou l’expiration' },
    lignes: {
      type: 'array',
      description: 'Dans l’ordre des lignes du devis',
      items: {
        type: 'object',
        properties: {
          acte: { type: 'string' },
          prix: centimes,
          demande: centimes,
          accorde: centimes,
          regle: { type: 'string', enum: Object.keys(coverageRules), description: 'Code stable de la règle appliquée (renewal_period : équipement dans son délai de renouvellement, refusé)' },
          libelle: { type: 'string' },
        },
      },
    },
  },
} as const;

export function agreementResponse(agreement: PriorAgreement): object {
  return {
    numero: agreement.number,
    statut: statuses[agreement.status],
    engagement: agreement.engagement,
    domaine: agreement.domain,
    dateSoins: agreement.careDate,
    ...(agreement.stay === undefined ? {} : { sejour: { joursPrevus: agreement.stay.expectedDays, chambreParticuliere: agreement.stay.privateRoom } }),
    finValidite: agreement.validUntil,
    toleranceFacturation: agreement.toleranceCents,
    demande: agreement.requestedCents,
    accorde: agreement.grantedCents,
    lignes: agreement.lines.map((line) => ({
      acte: line.actCode, prix: line.priceCents, demande: line.requestedCents, accorde: line.grantedCents,
      regle: line.rule, libelle: coverageRules[line.rule as CoverageRule] ?? line.rule,
    })),
  };
}
