import { invoiceReasons } from '../domain/invoices/reasons.js';
import { runDateOfPaymentId } from '../domain/payments/index.js';
import { asHeld } from './hold.js';
import { outcomeOfStored } from './invoice.js';
import { cancellationResponse, cancellationSchema, decisionResponse, invoiceSchema } from './invoice-response.js';
import type { ReturnEntry, ReturnsPage } from './returns.js';

const decided = invoiceSchema.properties;

/** One return: the decision as made (a return is neither a resend nor a refusal), and for a cancellation, the cancellation. */
const returnSchema = {
  type: 'object',
  properties: {
    type: {
      type: 'string',
      enum: ['mise_en_attente', 'decision', 'annulation'],
      description: 'mise_en_attente : doublon possible, la facture attend l’examen de l’organisme (statut en_attente, rien de payé), sa décision suivra ; ' +
        'decision : la facture vient d’être décidée ; annulation : elle vient d’être annulée, par vous ou par sa facture rectificative',
    },
    le: { type: 'string', format: 'date-time', description: 'Quand la décision ou l’annulation a été faite' },
    numeroFacture: decided.numeroFacture,
    numero: decided.numero,
    lot: { type: 'string', description: 'Votre numéro de lot' },
    statut: { type: 'string', enum: ['en_attente', 'payee', 'payee_partiellement', 'rejetee', 'annulee'], description: 'Mise en attente : en_attente ; décision : payee, payee_partiellement ou rejetee ; annulation : annulee' },
    engagement: decided.engagement,
    accordPrealable: decided.accordPrealable,
    remplace: decided.remplace,
    dateSoins: decided.dateSoins,
    motif: { ...decided.motif, description: 'Mise en attente : FAC_DUPLICATE ; décision : motif du rejet ou de la première réduction ; annulation : FAC_CANCELLED ou FAC_REPLACED' },
    libelle: decided.libelle,
    demande: decided.demande,
    paye: decided.paye,
    regles: decided.regles,
    lignes: { ...decided.lignes, description: 'Les lignes telles que décidées (pour une annulation : ce qui est annulé)' },
    annulation: cancellationSchema,
    remplaceePar: { type: 'string', description: 'Annulation par une facture rectificative : son numéro' },
    paiement: {
      type: ['object', 'null'],
      description:
        'Le virement qui paie la facture (null tant qu’aucun paiement ne l’a prise, et de nouveau null quand la banque l’a rejeté : elle est alors à payer) : ' +
        'sa référence, celle du libellé du virement et de GET /api/v1/payments/{reference}, son jour, et le jour où la banque l’a débité une fois son relevé reçu',
      required: ['reference', 'date'],
      properties: {
        reference: { type: 'string' },
        date: { type: 'string', format: 'date' },
        debiteLe: { type: 'string', format: 'date', description: 'Jour du débit selon le relevé de la banque (absent tant qu’il n’est pas reçu)' },
      },
    },
    virementRejete: {
      type: 'object',
      description: 'Le dernier virement de la facture que la banque du bénéficiaire a rejeté (absent sinon) : la facture est alors de nouveau à payer, par un paiement suivant',
      required: ['reference', 'date', 'rejeteLe', 'motif'],
      properties: {
        reference: { type: 'string' },
        date: { type: 'string', format: 'date', description: 'Jour du paiement rejeté' },
        rejeteLe: { type: 'string', format: 'date', description: 'Jour du retour selon le relevé de la banque' },
        motif: { type: 'string', description: 'Motif ISO 20022 (AC04 compte clos, AC01 IBAN erroné, MD07 titulaire décédé…)' },
      },
    },
  },
} as const;

export const returnsPageSchema = {
  type: 'object',
  properties: {
    organisme: { type: 'string', description: 'Numéro AMC de l’organisme dont ce sont les retours' },
    retours: { type: 'array', items: returnSchema, description: 'Dans l’ordre où ils ont été écrits' },
    curseur: { type: 'string', description: 'À renvoyer tel quel (`curseur`) pour la page suivante, même vide : rien n’est perdu ni donné deux fois' },
    suite: { type: 'boolean', description: 'La page est pleine : demandez la suivante sans attendre' },
  },
} as const;

export function returnsResponse(page: ReturnsPage): object {
  return { organisme: page.amc, retours: page.entries.map(returnResponse), curseur: page.cursor, suite: page.full };
}

const types = { held: 'mise_en_attente', decided: 'decision', cancelled: 'annulation' } as const satisfies Record<ReturnEntry['kind'], string>;

function returnResponse(entry: ReturnEntry): object {
  const stored = outcomeOfStored(entry.invoice, false);
  // A hold reads as it was written, whatever the review decided since: its decision is the next entry.
  const common = { type: types[entry.kind], le: entry.at.toISOString(), ...decisionResponse(entry.kind === 'held' ? asHeld(stored) : stored), lot: entry.invoice.lot };
  if (entry.kind === 'held') return { ...common, paiement: null };
  if (entry.kind === 'decided' || entry.cancellation === null) return { ...common, paiement: paymentOf(entry), ...returnedOf(entry) };
  const motif = entry.cancellation.cause === 'replaced' ? 'FAC_REPLACED' : 'FAC_CANCELLED';
  return {
    ...common,
    statut: 'annulee',
    motif,
    libelle: invoiceReasons[motif].label,
    annulation: cancellationResponse(entry.cancellation),
    ...(entry.replacedBy === null ? {} : { remplaceePar: entry.replacedBy }),
    paiement: paymentOf(entry),
    ...returnedOf(entry),
  };
}

/** The last transfer of the invoice the bank returned, when there is one. */
function returnedOf(entry: ReturnEntry): { virementRejete?: { reference: string; date: string; rejeteLe: string; motif: string } } {
  const back = entry.returned;
  const date = back ? runDateOfPaymentId(back.payment) : undefined;
  return back && date ? { virementRejete: { reference: back.payment, date, rejeteLe: back.on, motif: back.reason } } : {};
}

/** The transfer the invoice was paid by (issue 18): a cancelled one keeps it, its recovery follows. */
function paymentOf(entry: ReturnEntry): { reference: string; date: string; debiteLe?: string } | null {
  const reference = entry.invoice.payment;
  const date = reference ? runDateOfPaymentId(reference) : undefined;
  if (!reference || !date) return null;
  return entry.settledOn === undefined ? { reference, date } : { reference, date, debiteLe: entry.settledOn };
}
