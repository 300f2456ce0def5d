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
} as const;

export const paymentRequired = Object.keys(paymentProperties);

export const paymentIdPattern = '^RP[0-9]{8}-[0-9A-Z]{13}$';
