/** What the tracking routes answer of a transfer, shared by the list and the remittance. */
export const paymentProperties = {
  reference: { type: 'string', description: 'Référence du virement : son EndToEndId, rappelée dans son libellé et les retours des factures' },
  date: { type: 'string', format: 'date', description: 'Jour du paiement (UTC)' },
  statut: { type: 'string', enum: ['instructed', 'settled', 'returned'], description: 'instructed : transmis à la banque ; settled : débité ; returned : rejeté par la banque du bénéficiaire' },
  compte: { type: 'string', description: 'Le compte payé, IBAN masqué sauf ses 4 derniers caractères' },
  montantVirement: { type: 'integer', description: 'Montant du virement, en centimes (toutes les structures payées sur ce compte)' },
  factures: { type: 'integer', description: 'Factures de la structure payées par ce virement' },
  montantFactures: { type: 'integer', description: 'Leur part payée, en centimes' },
  recuperations: { type: 'integer', description: 'Indus de la structure déduits de ce virement' },
  montantRecupere: { type: 'integer', description: 'Leur montant, en centimes' },
  debiteLe: { type: 'string', format: 'date', description: 'Jour où la banque a débité le virement, une fois son relevé reçu (absent avant)' },
  rejet: {
    type: 'object',
    required: ['le', 'motif'],
    description: 'Virement rejeté par la banque du bénéficiaire, une fois son relevé reçu : ses factures sont de nouveau à payer, sur un compte confirmé de nouveau',
    properties: { le: { type: 'string', format: 'date' }, motif: { type: 'string', description: 'Motif ISO 20022 (AC04 compte clos, AC01 IBAN erroné, MD07 titulaire décédé…)' } },
  },
} as const;

/** What every transfer carries; the bank's answer (debiteLe, rejet) only once known. */
const bankFields = ['debiteLe', 'rejet'];

export const paymentRequired = Object.keys(paymentProperties).filter((key) => !bankFields.includes(key));

export const paymentIdPattern = '^RP[0-9]{8}-[0-9A-Z]{13}$';
