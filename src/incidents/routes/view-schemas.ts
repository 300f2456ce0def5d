/** Parts of an incident's answer (src/incidents/view-details.ts), as the OpenAPI document describes them. */
const text = { type: 'string' } as const;
const texts = { type: 'array', items: text } as const;
const instant = { type: 'string', format: 'date-time' } as const;

export const scopeSchema = {
  type: 'object',
  required: ['du', 'au', 'alerte', 'ouvertPar', 'rpps', 'sites', 'logiciels', 'reseaux', 'appareils'],
  properties: { du: instant, au: instant, alerte: { type: ['integer', 'null'] }, ouvertPar: text, rpps: texts, sites: texts, logiciels: texts, reseaux: texts, appareils: texts },
} as const;

export const categoriesSchema = {
  type: 'array',
  description: 'Ce qui a été vu (finalité, et type de soins le cas échéant) : personnes, premier et dernier accès',
  items: {
    type: 'object',
    required: ['categorie', 'libelle', 'personnes', 'premier', 'dernier'],
    properties: { categorie: text, libelle: text, personnes: { type: 'integer' }, premier: instant, dernier: instant },
  },
} as const;

export const exportSchema = {
  type: 'object',
  required: ['demande', 'instantane', 'motif', 'demandeLe', 'approbations', 'approuvee'],
  properties: {
    demande: { type: 'integer' },
    instantane: { type: 'integer' },
    motif: text,
    demandeLe: instant,
    approbations: { type: 'array', items: { type: 'object', required: ['par', 'le'], properties: { par: text, le: instant } } },
    approuvee: { type: 'boolean' },
  },
} as const;
