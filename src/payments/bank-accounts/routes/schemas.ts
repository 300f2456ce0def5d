import { structureSchema } from '../../../access/sites.js';

/** An account version as the API shows it (store.ts AccountView): the IBAN masked. */
export const accountSchema = {
  type: ['object', 'null'],
  required: ['version', 'iban', 'bic', 'titulaire', 'proposeLe', 'confirmeLe', 'effectifLe', 'confirmationParOperateur'],
  properties: {
    version: { type: 'integer' },
    iban: { type: 'string', description: 'Les 4 derniers caractères seulement : une session volée ne récolte aucun IBAN' },
    bic: { type: 'string' },
    titulaire: { type: 'string' },
    proposeLe: { type: 'string', format: 'date-time' },
    confirmeLe: { type: ['string', 'null'], format: 'date-time' },
    effectifLe: { type: ['string', 'null'], format: 'date-time', description: 'Quand le compte prend (ou a pris) effet, une fois confirmé' },
    confirmationParOperateur: { type: 'boolean', description: 'Proposé depuis un appareil ou un réseau nouveau : seul l’opérateur confirme' },
  },
} as const;

/** The structure a site administrator acts for, in a body. */
export const structureBody = {
  type: 'object',
  required: ['structure'],
  additionalProperties: false,
  properties: { structure: { ...structureSchema, description: 'FINESS ou SIRET d’une structure que vous administrez' } },
} as const;

/** The answer of a confirmation, from a co-administrator or the operator. */
export const confirmedSchema = {
  description: 'Changement confirmé : il prend effet à la date dite, sauf annulation d’ici là',
  type: 'object',
  required: ['version', 'effectifLe'],
  properties: { version: { type: 'integer' }, effectifLe: { type: 'string', format: 'date-time' } },
} as const;
