/** Path ids, bounded so that a number past bigint fails the schema, not the query. */
export const idParam = (name: string): object => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
});

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
