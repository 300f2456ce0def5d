/**
 * The insurer's invoices held for review (/organisme/factures): possible duplicates of an
 * invoice already received, paid nothing until the insurer's agent decides each one, once,
 * with a reason (GET /api/v1/insurer/invoices/held, POST …/{numero}/review).
 */
import { failure, get, post, say } from './api.js';
import { day, el, fillTable, num, reasonForm, row, when, type ReasonButton } from './dom.js';
import { euros } from './forms.js';
import { statusLabel } from './invoice-words.js';

interface Held { numero: string; doublonDe: string; finess: string | null; siret: string | null; rpps: string; dateSoins: string; demande: number; decideeLe: string }
interface Reviewed { numero: string; statut: string; paye: number; libelle?: string }

/** One form, two decisions: the button pressed says which, the reason goes with either. */
const DECISIONS: readonly ReasonButton[] = [{ label: 'Payer', value: 'payer' }, { label: 'Rejeter', value: 'rejeter', quiet: true }];

/** Sends the agent's decision on one held invoice, then says what it did once the tables show it. */
async function review(invoice: Held, decision: string, motif: string, done: () => Promise<void>): Promise<void> {
  try {
    const reviewed = await post<Reviewed>(`/api/v1/insurer/invoices/${encodeURIComponent(invoice.numero)}/review`, { decision, motif });
    await done();
    say('#held-status', `Facture ${reviewed.numero} ${statusLabel(reviewed.statut)} : payé ${euros(reviewed.paye)}${reviewed.libelle ? ` (${reviewed.libelle})` : ''}.`);
  } catch (error: unknown) {
    say('#held-status', failure(error));
  }
}

/** Reads the held invoices again and fills their table; `reviewed` runs after each decision (the period's figures change with it). */
export async function showHeld(reviewed: () => void): Promise<void> {
  const held = await get<Held[]>('/api/v1/insurer/invoices/held');
  fillTable('#held', held.map((invoice) => row(
    when(invoice.decideeLe), el('td', { class: 'wrap' }, invoice.numero), el('td', { class: 'wrap' }, invoice.doublonDe),
    invoice.finess ?? invoice.siret ?? '—', invoice.rpps, day(invoice.dateSoins), num(euros(invoice.demande)), reasonForm(DECISIONS, (motif, decision) => void review(invoice, decision, motif, async () => {
      await showHeld(reviewed);
      reviewed();
    })),
  )), 'Aucune facture en attente d’examen.');
}
