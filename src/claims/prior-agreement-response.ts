import { coverageRules, type CoverageRule } from '../domain/coverage/calculation-types.js';
import type { PriorAgreement } from './prior-agreements.js';

/** The statuses in the API's words. */
const statuses = { granted: 'accorde', partial: 'partiel', refused: 'refuse', cancelled: 'annule', expired: 'expire' } as const satisfies Record<PriorAgreement['status'], string>;

const centimes = { type: 'integer' } as const;

/** The answer to a request and to a consultation: one shape. */
export const agreementSchema = {
  type: 'object',
  properties: {
    numero: { type: 'string', description: 'Numéro de l’accord, à reporter sur la facture' },
    statut: { type: 'string', enum: Object.values(statuses), description: 'accorde, partiel (une ligne réduite par un plafond ou un délai de renouvellement), refuse ; puis annule ou expire' },
    engagement: { type: 'string' },
    domaine: { type: 'string' },
    dateSoins: { type: 'string', format: 'date', description: 'Date prévue des soins (délivrance de l’équipement)' },
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
