/**
 * Invoices in a person's words: the API's statuses (src/invoices/invoice-response.ts) in
 * French, a decision's lines as sentences, and the sender's numbers the page makes up.
 */
import { euros } from './forms.js';

const statuses: Readonly<Record<string, string>> = {
  payee: 'payée', payee_partiellement: 'payée en partie', rejetee: 'rejetée', annulee: 'annulée', refusee: 'refusée', en_attente: 'en attente d’examen par l’organisme',
};

const lineStatuses: Readonly<Record<string, string>> = { acceptee: 'acceptée', reduite: 'réduite', rejetee: 'rejetée', en_attente: 'en attente' };

/** An unknown status is shown as the API wrote it rather than hidden: a newer API may add one. */
export const statusLabel = (status: string): string => statuses[status] ?? status;

/** A decided line as the lot's answer and the returns give it. */
export interface DecidedLine { acte: string; domaine: string; statut: string; demande: number; paye: number; libelle?: string }

export interface Decision {
  numeroFacture: string;
  numero?: string;
  statut: string;
  demande?: number;
  paye?: number;
  libelle?: string;
  message?: string;
  lignes?: DecidedLine[];
}

/** One sentence per line: the act, what became of it, asked and paid, and why in the reason's French label. */
export function lineSentence(line: DecidedLine): string {
  const why = line.libelle ? ` — ${line.libelle}` : '';
  return `${line.acte} (${line.domaine}) : ${lineStatuses[line.statut] ?? line.statut}, demandé ${euros(line.demande)}, payé ${euros(line.paye)}${why}`;
}

/** A decision told in full: its status and amount paid, then each line; a refusal (nothing decided) with its message. */
export function decisionSentences(decision: Decision): string[] {
  if (decision.statut === 'refusee') return [`Facture ${decision.numeroFacture} refusée : ${decision.message ?? ''}`];
  const reason = decision.libelle ? ` Motif : ${decision.libelle}.` : '';
  return [
    `Facture ${decision.numeroFacture} ${statusLabel(decision.statut)} : payé ${euros(decision.paye ?? 0)} sur ${euros(decision.demande ?? 0)} demandés.${reason}`,
    ...(decision.numero ? [`Numéro sur la plateforme : ${decision.numero}`] : []),
    ...(decision.lignes ?? []).map(lineSentence),
  ];
}

/**
 * A sender's number (lot or invoice) made in the browser: unique enough for one site (the
 * time in base 36 and a random part), within the API's alphabet and length. The lot and
 * invoice pair is the key of a resend, so a new click never replays an old decision.
 */
export function senderNumber(prefix: 'L' | 'F'): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  return `${prefix}-${Date.now().toString(36).toUpperCase()}-${random.toString(36).toUpperCase()}`;
}
