/** An account named in the path by its RPPS (11 digits). */
export const rppsParams = {
  type: 'object',
  required: ['rpps'],
  properties: { rpps: { type: 'string', pattern: '^[0-9]{11}$', description: 'RPPS du professionnel' } },
} as const;
