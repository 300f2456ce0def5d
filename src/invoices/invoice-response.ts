import { invoiceReasons } from '../domain/invoices/reasons.js';
import { INVOICE_REFUSALS, type InvoiceOutcome, type InvoiceRefusal, type StoredCancellation } from './invoice.js';
import { ErrorCodes } from '../domain/errors/codes.js';
import type { LotOutcome } from './lot.js';

/** Statuses and outcomes in the API's words. */
export const statuses = { paid: 'payee', partly_paid: 'payee_partiellement', rejected: 'rejetee', held: 'en_attente' } as const satisfies Record<InvoiceOutcome['status'], string>;
const outcomes = { accepted: 'acceptee', reduced: 'reduite', rejected: 'rejetee', held: 'en_attente' } as const;

const centimes = { type: 'integer' } as const;
const invoiceNumber = { type: 'string', pattern: '^F[0-9]{8,10}-[A-Z2-7]{16}$' } as const;
const reasonCode = { type: 'string', enum: Object.keys(invoiceReasons), description: 'Code stable du motif (docs/invoice-reasons.md) ; son libellé dans `libelle`' } as const;

/** A cancellation as the site reads it: at the consultation of the invoice, in its return. */
export const cancellationSchema = {
  type: 'object',
  description: 'L’annulation de la facture : par la structure, ou par la facture rectificative qui la remplace',
  properties: {
    le: { type: 'string', format: 'date-time' },
    motif: { type: 'string', enum: ['FAC_CANCELLED', 'FAC_REPLACED'] },
    libelle: { type: 'string' },
    texte: { type: 'string', description: 'Le motif donné à l’annulation, s’il l’a été' },
    aRecuperer: { ...centimes, description: 'Montant déjà versé, repris sur un prochain paiement (absent : rien n’avait été versé)' },
  },
} as const;

export function cancellationResponse(cancellation: StoredCancellation): object {
  const motif = cancellation.cause === 'replaced' ? 'FAC_REPLACED' : 'FAC_CANCELLED';
  return {
    le: new Date(cancellation.at).toISOString(),
    motif,
    libelle: invoiceReasons[motif].label,
    ...(cancellation.reason === null ? {} : { texte: cancellation.reason }),
    ...(cancellation.recoveryCents === null ? {} : { aRecuperer: Number(cancellation.recoveryCents) }),
  };
}

/** One invoice's answer: its decision, or (statut refusee) the refusal of its key reused with another body. */
export const invoiceSchema = {
  type: 'object',
  properties: {
    numeroFacture: { type: 'string', description: 'Votre numéro de facture' },
    numero: { type: 'string', description: 'Numéro de la décision sur la plateforme, pour la consulter ; absent quand rien n’est enregistré (référence inconnue, facture refusée)' },
    statut: {
      type: 'string',
      enum: [...Object.values(statuses), 'refusee', 'annulee'],
      description: 'payee, payee_partiellement ou rejetee ; en_attente : doublon possible d’une facture déjà reçue (FAC_DUPLICATE), rien n’est payé ' +
        'avant l’examen de l’organisme, dont la décision vient dans les retours ; refusee (dans la réponse au lot) : rien n’est décidé, voir `code` ; ' +
        'annulee (à la consultation) : annulée depuis, voir `annulation`, les montants restent ceux de la décision',
    },
    engagement: { type: 'string' },
    accordPrealable: { type: 'string' },
    remplace: { ...invoiceNumber, description: 'Facture rectificative : le numéro de la facture qu’elle remplace' },
    remplaceePar: { ...invoiceNumber, description: 'Consultation : le numéro de la facture rectificative qui l’a remplacée' },
    annulation: cancellationSchema,
    dateSoins: { type: 'string', format: 'date' },
    motif: { ...reasonCode, description: 'Motif du rejet, ou de la première réduction' },
    libelle: { type: 'string' },
    demande: { ...centimes, description: 'Part complémentaire demandée, en centimes' },
    paye: { ...centimes, description: 'Part complémentaire payée, en centimes' },
    regles: { type: 'string', description: 'Version des règles de décision' },
    renvoi: { type: 'boolean', description: 'Décision déjà rendue sous cette clé (lot, numéro de facture), rendue à nouveau à l’identique' },
    code: { type: 'string', enum: [...INVOICE_REFUSALS], description: 'Facture refusée : le code du refus (la clé déjà employée pour une autre facture, une facture rectificative qui ne peut remplacer celle qu’elle nomme)' },
    message: { type: 'string' },
    lignes: {
      type: 'array',
      description: 'Dans l’ordre des lignes de la facture',
      items: {
        type: 'object',
        properties: {
          acte: { type: 'string' },
          domaine: { type: 'string' },
          statut: { type: 'string', enum: Object.values(outcomes) },
          demande: centimes,
          paye: centimes,
          motif: reasonCode,
          libelle: { type: 'string' },
          regle: { type: 'string', description: 'Règle de calcul appliquée (celles du calcul, POST /api/v1/coverage/calculate)' },
        },
      },
    },
  },
} as const;

export const lotSchema = {
  type: 'object',
  properties: {
    lot: { type: 'string' },
    recuLe: { type: 'string', format: 'date-time' },
    traitement: { type: 'string', enum: ['synchrone'], description: 'Les factures sont décidées à la réception, dans l’ordre du lot' },
    factures: { type: 'array', items: invoiceSchema },
  },
} as const;

export function lotResponse(lot: LotOutcome): object {
  return { lot: lot.lot, recuLe: lot.receivedAt.toISOString(), traitement: 'synchrone', factures: lot.invoices.map(invoiceResponse) };
}

export function invoiceResponse(invoice: InvoiceOutcome | InvoiceRefusal): object {
  if ('refusal' in invoice) return { numeroFacture: invoice.invoiceNumber, statut: 'refusee', code: invoice.refusal, message: ErrorCodes[invoice.refusal].message };
  return {
    ...decisionResponse(invoice),
    ...(invoice.since?.cancellation ? { statut: 'annulee', annulation: cancellationResponse(invoice.since.cancellation) } : {}),
    ...(invoice.since?.replacedBy ? { remplaceePar: invoice.since.replacedBy } : {}),
    renvoi: invoice.replayed,
  };
}

/** The decision as made, in the API's words: what an invoice's answer and its return both say. */
export function decisionResponse(invoice: InvoiceOutcome): Record<string, unknown> {
  return {
    numeroFacture: invoice.invoiceNumber,
    ...(invoice.number === null ? {} : { numero: invoice.number }),
    statut: statuses[invoice.status],
    ...(invoice.engagement === null ? {} : { engagement: invoice.engagement }),
    ...(invoice.agreement === null ? {} : { accordPrealable: invoice.agreement }),
    ...(invoice.replaces === null ? {} : { remplace: invoice.replaces }),
    dateSoins: invoice.careDate,
    ...reasonOf(invoice.reason),
    demande: invoice.claimedCents,
    paye: invoice.paidCents,
    regles: invoice.rules,
    lignes: invoice.lines.map((line) => ({
      acte: line.actCode, domaine: line.domain, statut: outcomes[line.outcome], demande: line.claimedCents, paye: line.paidCents,
      ...reasonOf(line.reason), ...(line.rule === null ? {} : { regle: line.rule }),
    })),
  };
}

function reasonOf(reason: keyof typeof invoiceReasons | null): object {
  return reason === null ? {} : { motif: reason, libelle: invoiceReasons[reason].label };
}
