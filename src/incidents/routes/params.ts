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
