import { ErrorCodes } from '../domain/errors/codes.js';
import { invoiceSchema } from './invoice-response.js';
import type { KeptLot, LotStatus } from './lot-queue.js';

/** A kept lot's status in the API's words. */
const statuses = { queued: 'accepte', running: 'en_cours', done: 'traite', stopped: 'arrete' } as const satisfies Record<LotStatus, string>;

const acknowledgementProperties = {
  lot: { type: 'string' },
  recuLe: { type: 'string', format: 'date-time' },
  nombreFactures: { type: 'integer' },
  statut: {
    type: 'string',
    enum: Object.values(statuses),
    description: 'accepte : reçu, en attente ; en_cours : en cours de décision ; traite : chaque facture décidée (`factures`) ; ' +
      'arrete : interrompu par un refus (`code`), les factures déjà décidées le restent et le lot renvoyé les rend',
  },
  suivi: { type: 'string', description: 'Où suivre le lot (GET), comme l’en-tête Location' },
} as const;

/** The acknowledgement of a lot accepted whole (ARL positive): 202 to Prefer: respond-async. */
export const acknowledgementSchema = { type: 'object', properties: acknowledgementProperties } as const;

export const lotStatusSchema = {
  type: 'object',
  properties: {
    ...acknowledgementProperties,
    traitement: { type: 'string', enum: ['differe'], description: 'Les factures sont décidées après l’accusé de réception, dans l’ordre du lot' },
    factures: {
      type: 'array',
      items: invoiceSchema,
      description: 'Une fois traite : la réponse qu’un envoi synchrone du lot aurait donnée ; absente si elle ne se lit plus (clé maîtresse changée depuis) : les retours portent chaque décision',
    },
    code: { type: 'string', description: 'Lot arrêté : le code du refus qui l’a arrêté' },
    message: { type: 'string' },
  },
} as const;

/** Where a site follows its lot; a professional on the pages names the structure. */
export function lotLocation(lot: string, structure: string | undefined): string {
  return `/api/v1/invoices/lots/${encodeURIComponent(lot)}${structure === undefined ? '' : `?structure=${encodeURIComponent(structure)}`}`;
}

/** The ARL: the same at every resend of the same lot, whatever has become of it since. */
export function acknowledgementResponse(kept: KeptLot, location: string): object {
  return { lot: kept.lot, recuLe: kept.receivedAt.toISOString(), nombreFactures: kept.invoices, statut: statuses.queued, suivi: location };
}

export function lotStatusResponse(kept: KeptLot, location: string): object {
  return {
    ...acknowledgementResponse(kept, location),
    statut: statuses[kept.status],
    traitement: 'differe',
    ...(kept.answers === null ? {} : { factures: kept.answers }),
    ...(kept.stoppedCode === null ? {} : { code: kept.stoppedCode, message: ErrorCodes[kept.stoppedCode].message }),
  };
}
