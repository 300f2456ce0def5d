/**
 * The insurer's invoices held for review (/organisme/factures): possible duplicates of an
 * invoice already received, paid nothing until the insurer's agent decides each one, once,
 * with a reason (GET /api/v1/insurer/invoices/held, POST …/{numero}/review).
 */
import { failure, get, post, say } from './api.js';
import { day, el, fillTable, num, row, when } from './dom.js';
import { euros } from './forms.js';
import { statusLabel } from './invoice-words.js';

interface Held { numero: string; doublonDe: string; finess: string | null; siret: string | null; rpps: string; dateSoins: string; demande: number; decideeLe: string }
interface Reviewed { numero: string; statut: string; paye: number; libelle?: string }

/** One form, two decisions: the button pressed says which, the reason goes with either. */
function reviewForm(invoice: Held, done: () => Promise<void>): HTMLFormElement {
  const reason = el('input', { name: 'motif', required: '', minlength: '3' });
  const form = el('form', { class: 'inline' },
    el('label', {}, 'Motif', reason),
    el('button', { type: 'submit', value: 'payer' }, 'Payer'),
    el('button', { type: 'submit', value: 'rejeter', class: 'quiet' }, 'Rejeter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const decision = event.submitter instanceof HTMLButtonElement ? event.submitter.value : '';
    (async () => {
      const reviewed = await post<Reviewed>(`/api/v1/insurer/invoices/${encodeURIComponent(invoice.numero)}/review`, { decision, motif: reason.value });
      await done();
      say('#held-status', `Facture ${reviewed.numero} ${statusLabel(reviewed.statut)} : payé ${euros(reviewed.paye)}${reviewed.libelle ? ` (${reviewed.libelle})` : ''}.`);
    })().catch((error: unknown) => say('#held-status', failure(error)));
  });
  return form;
}

/** Reads the held invoices again and fills their table; `reviewed` runs after each decision (the period's figures change with it). */
export async function showHeld(reviewed: () => void): Promise<void> {
  const held = await get<Held[]>('/api/v1/insurer/invoices/held');
  fillTable('#held', held.map((invoice) => row(
    when(invoice.decideeLe), el('td', { class: 'wrap' }, invoice.numero), el('td', { class: 'wrap' }, invoice.doublonDe),
    invoice.finess ?? invoice.siret ?? '—', invoice.rpps, day(invoice.dateSoins), num(euros(invoice.demande)), reviewForm(invoice, async () => {
      await showHeld(reviewed);
      reviewed();
    }),
  )), 'Aucune facture en attente d’examen.');
}
