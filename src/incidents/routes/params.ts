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

/** An incident's 72-hour clock, as the officers' and the insurers' reads show it. */
export const clockProperties = {
  incident: { type: 'integer' },
  titre: { type: 'string' },
  detecteLe: { type: 'string', format: 'date-time' },
  notifierAvant: { type: 'string', format: 'date-time' },
  minutesRestantes: { type: 'integer', description: 'Négatif une fois l’échéance passée' },
  echeanceDepassee: { type: 'boolean' },
} as const;

export const clockRequired = ['incident', 'titre', 'detecteLe', 'notifierAvant', 'minutesRestantes', 'echeanceDepassee'] as const;

/** A frozen snapshot's signed tree, and people and records counted in it. */
export const snapshotProperties = {
  instantane: { type: 'integer' },
  calculeLe: { type: 'string', format: 'date-time' },
  tailleArbre: { type: 'integer' },
  racine: { type: 'string' },
  personnes: { type: 'integer' },
  acces: { type: 'integer' },
} as const;

export const snapshotRequired = ['instantane', 'calculeLe', 'tailleArbre', 'racine', 'personnes', 'acces'] as const;

/** An incident's clock and its snapshots, each as `snapshot` describes it. */
export const clockWithSnapshots = <S extends object>(snapshot: S) => ({
  type: 'object',
  required: [...clockRequired, 'instantanes'],
  properties: { ...clockProperties, instantanes: { type: 'array', items: snapshot } },
}) as const;
