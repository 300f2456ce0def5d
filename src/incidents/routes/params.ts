/** The export's approvals, as the API shows them. */
export const approvalsSchema = {
  type: 'object',
  required: ['demande', 'instantane', 'approbations', 'approuvee'],
  properties: {
    demande: { type: 'integer' },
    instantane: { type: 'integer' },
    approbations: { type: 'integer', description: 'Responsables ayant approuvé (deux requis)' },
    approuvee: { type: 'boolean' },
  },
} as const;

/** The 72-hour clock, as every incident answer carries it. */
export const clockProperties = {
  detecteLe: { type: 'string', format: 'date-time' },
  notifierAvant: { type: 'string', format: 'date-time' },
  minutesRestantes: { type: 'integer', description: 'Négatif une fois l’échéance passée' },
  echeanceDepassee: { type: 'boolean' },
} as const;
