import { createHash } from 'node:crypto';
import { structureSchema } from '../access/sites.js';
import { calculateBodySchema, readLines, type LineBody } from '../claims/coverage-request.js';
import type { CalendarDate } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import type { ClaimedLine } from '../domain/invoices/adjudicate.js';

/** An invoice line as the API takes it: the calculation's line, and what is claimed of the AMC. */
export type InvoiceLineBody = LineBody & { montantAmc: number; montantAmo?: number };

export interface InvoiceBody {
  numero: string;
  engagement?: string;
  accordPrealable?: string;
  remplace?: string;
  dateSoins: CalendarDate;
  lignes: InvoiceLineBody[];
}

export interface LotBody {
  lot: string;
  factures: InvoiceBody[];
  structure?: string;
}

/** One invoice as adjudicated: its reference, its lines, and the hash of its body that keys a resend. */
export interface InvoiceRequest {
  number: string;
  engagement: string | null;
  agreement: string | null;
  /** A correction: the platform's number of the invoice it replaces; absent or null otherwise. */
  replaces?: string | null;
  careDate: CalendarDate;
  lines: ClaimedLine[];
  bodyHash: Buffer;
}

export interface LotRequest {
  lot: string;
  invoices: InvoiceRequest[];
}

const senderKey = { type: 'string', minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9_./-]*$' } as const;
const amount = (description: string): object => ({ type: 'integer', minimum: 0, maximum: 100_000_000, description: `${description}, en centimes` });
const lineItems = calculateBodySchema.properties.lignes.items;

export const lotBodySchema = {
  type: 'object',
  required: ['lot', 'factures'],
  additionalProperties: false,
  properties: {
    lot: { ...senderKey, description: 'Numéro du lot, propre à votre structure' },
    factures: {
      type: 'array',
      minItems: 1,
      // Decided synchronously, one transaction each: a lot stays a few seconds at most.
      maxItems: 100,
      items: {
        type: 'object',
        required: ['numero', 'dateSoins', 'lignes'],
        additionalProperties: false,
        properties: {
          numero: { ...senderKey, description: 'Numéro de la facture, unique dans le lot ; avec le lot, la clé d’un renvoi' },
          engagement: { type: 'string', pattern: '^E[0-9]{8,10}-[A-Z2-7]{16}$', description: 'Numéro d’engagement de l’identification des droits (ou accordPrealable, pas les deux)' },
          accordPrealable: { type: 'string', pattern: '^P[0-9]{8,10}-[A-Z2-7]{16}$', description: 'Numéro de l’accord préalable (ou engagement, pas les deux)' },
          remplace: {
            type: 'string',
            pattern: '^F[0-9]{8,10}-[A-Z2-7]{16}$',
            description: 'Facture rectificative : le numéro sur la plateforme (`numero`) de la facture qu’elle remplace, envoyée par votre structure sous le même engagement ou accord. ' +
              'Elle est annulée (ses plafonds libérés) et celle-ci décidée dans la même transaction',
          },
          dateSoins: { type: 'string', format: 'date', description: 'Date des soins ou de la délivrance, au plus tard aujourd’hui' },
          lignes: {
            ...calculateBodySchema.properties.lignes,
            items: {
              ...lineItems,
              required: [...lineItems.required, 'montantAmc'],
              properties: {
                ...lineItems.properties,
                montantAmc: amount('Part complémentaire demandée pour la ligne'),
                montantAmo: amount('Part de l’assurance maladie obligatoire de la ligne (taux × base), contrôlée si elle est donnée'),
              },
            },
          },
        },
      },
    },
    structure: { ...structureSchema, description: 'FINESS ou SIRET (sessions de personnes seulement)' },
  },
} as const;

/**
 * The lot as adjudicated, or its refusal whole (the ARL): what can be seen without reading
 * anyone's data — each invoice names one engagement or one prior agreement, no number twice
 * in the lot, care not in the future, domains known. Nothing is read or written before it.
 */
export function readLot(body: LotBody, today: CalendarDate): LotRequest {
  const seen = new Set<string>();
  const invoices = body.factures.map((invoice, index): InvoiceRequest => {
    if (seen.has(invoice.numero)) throw new RempartError('INVOICE_LOT_DUPLICATE', `factures/${index}/numero : ${invoice.numero}`);
    seen.add(invoice.numero);
    if ((invoice.engagement === undefined) === (invoice.accordPrealable === undefined)) throw new RempartError('INVOICE_REFERENCE', `factures/${index}`);
    if (invoice.dateSoins > today) throw new RempartError('INVOICE_CARE_DATE', `factures/${index}/dateSoins : ${invoice.dateSoins}`);
    const lines = linesOf(invoice, index);
    return {
      number: invoice.numero,
      engagement: invoice.engagement ?? null,
      agreement: invoice.accordPrealable ?? null,
      replaces: invoice.remplace ?? null,
      careDate: invoice.dateSoins,
      lines: invoice.lignes.map((line, at) => ({
        line: lines[at] as ClaimedLine['line'],
        claimedCents: line.montantAmc,
        ...(line.montantAmo === undefined ? {} : { amoCents: line.montantAmo }),
      })),
      bodyHash: bodyHash(invoice),
    };
  });
  return { lot: body.lot, invoices };
}

/** readLines names the line at fault (lignes/0/domaine); in a lot, the invoice too. */
function linesOf(invoice: InvoiceBody, index: number): ReturnType<typeof readLines> {
  try {
    return readLines(invoice.lignes);
  } catch (error) {
    throw error instanceof RempartError ? new RempartError(error.code, `factures/${index}/${error.detail ?? ''}`) : error;
  }
}

/**
 * SHA-256 of the invoice as sent, its keys sorted: the same invoice resent with its fields
 * in another order is the same body; any other value is another one.
 */
function bodyHash(invoice: InvoiceBody): Buffer {
  return createHash('sha256').update(canonical(invoice)).digest();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
