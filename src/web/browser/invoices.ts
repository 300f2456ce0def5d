/**
 * The invoices page (/factures): the site's returns from one insurer, page after page through
 * the cursor, and the cancellation of a paid invoice after a confirmation; all through the
 * JSON API, every value written as text.
 */
import { failure, get, post, say } from './api.js';
import { day, when } from './dom.js';
import { euros, field, onSubmit } from './forms.js';
import { statusLabel, type Decision } from './invoice-words.js';
import { rememberChoice } from './remember.js';

interface ReturnEntry extends Decision { type: 'decision' | 'annulation'; le: string; dateSoins: string }
interface ReturnsPage { retours: ReturnEntry[]; curseur: string; suite: boolean }

/** Where the feed stands: whose returns, from when, and the cursor of the next page (none before the first). */
let feed: { structure: string; amc: string; since: string; cursor: string | undefined } | undefined;

const structure = (): string => document.querySelector<HTMLSelectElement>('select[name=structure]')?.value ?? '';
const tbody = (): HTMLTableSectionElement | null => document.querySelector('#returns-table tbody');
const more = document.querySelector<HTMLButtonElement>('#returns-more');
const dialog = document.querySelector<HTMLDialogElement>('#cancel-dialog');

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

/** Only what is paid, and not cancelled since, can be cancelled. */
const cancellable = (entry: ReturnEntry): boolean => entry.type === 'decision' && entry.numero !== undefined && ['payee', 'payee_partiellement'].includes(entry.statut);

function row(entry: ReturnEntry): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.numero = entry.numero ?? '';
  const action = document.createElement('td');
  if (cancellable(entry)) {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Annuler', className: 'quiet' });
    button.setAttribute('aria-label', `Annuler la facture ${entry.numeroFacture}`);
    button.addEventListener('click', () => askCancel(entry));
    action.append(button);
  }
  tr.append(
    cell(when(entry.le)), cell(`${entry.numeroFacture}\n${entry.numero ?? '—'}`, 'numbers'), cell(day(entry.dateSoins)), cell(statusLabel(entry.statut), 'status'),
    cell(euros(entry.demande ?? 0), 'n'), cell(euros(entry.paye ?? 0), 'n'), cell(entry.libelle ?? ''), action,
  );
  return tr;
}

/** An invoice cancelled: every row of it says so, and none offers to cancel it again. */
function markCancelled(numero: string): void {
  for (const tr of tbody()?.querySelectorAll<HTMLTableRowElement>('tr') ?? []) {
    if (tr.dataset.numero !== numero) continue;
    const status = tr.querySelector('.status');
    if (status) status.textContent = statusLabel('annulee');
    tr.querySelector('button')?.remove();
  }
}

/** « Plus » is disabled while a page is read (a disabled button takes no click): pressed twice, it would show one page twice. */
async function readPage(): Promise<void> {
  if (!feed) return;
  const reading = feed;
  // `depuis` places the first page only; after it, the cursor says where the next one starts.
  const query = new URLSearchParams({ amc: reading.amc, structure: reading.structure, ...(reading.cursor === undefined ? { depuis: `${reading.since}T00:00:00Z` } : { curseur: reading.cursor }) });
  if (more) more.disabled = true;
  const page = await get<ReturnsPage>(`/api/v1/invoices/returns?${query.toString()}`).finally(() => {
    if (more) more.disabled = false;
  });
  // Another search started meanwhile: this page belongs to the one before.
  if (reading !== feed) return;
  reading.cursor = page.curseur;
  for (const entry of page.retours) {
    if (entry.type === 'annulation' && entry.numero) markCancelled(entry.numero);
    tbody()?.append(row(entry));
  }
  const shown = tbody()?.rows.length ?? 0;
  say('#returns-status', shown === 0 ? 'Aucun retour de cet organisme depuis cette date.' : `${String(shown)} retour(s) affiché(s).`);
  if (more) more.hidden = !page.suite;
}

rememberChoice('select[name=structure]');

onSubmit('#returns', async (form) => {
  feed = { structure: structure(), amc: field(form, 'amc'), since: field(form, 'depuis'), cursor: undefined };
  tbody()?.replaceChildren();
  const table = document.querySelector<HTMLTableElement>('#returns-table');
  if (table) table.hidden = false;
  await readPage().catch((error: unknown) => say('#returns-status', failure(error)));
});

more?.addEventListener('click', () => {
  readPage().catch((error: unknown) => say('#returns-status', failure(error)));
});

/** The invoice the dialog asks about. */
let pending: ReturnEntry | undefined;

function askCancel(entry: ReturnEntry): void {
  pending = entry;
  say('#cancel-number', entry.numeroFacture);
  const reason = dialog?.querySelector<HTMLInputElement>('input[name=motif]');
  if (reason) reason.value = '';
  dialog?.showModal();
}

dialog?.addEventListener('close', () => {
  const entry = pending;
  pending = undefined;
  if (!entry?.numero || dialog.returnValue !== 'annuler' || !feed) return;
  cancel(entry.numero, entry.numeroFacture, feed.structure).catch((error: unknown) => say('#returns-status', failure(error)));
});

async function cancel(numero: string, numeroFacture: string, site: string): Promise<void> {
  const motif = dialog?.querySelector<HTMLInputElement>('input[name=motif]')?.value.trim() ?? '';
  const answer = await post<{ aRecuperer?: number }>(`/api/v1/invoices/${encodeURIComponent(numero)}/cancel?structure=${encodeURIComponent(site)}`, motif ? { motif } : {});
  markCancelled(numero);
  const recovery = answer.aRecuperer === undefined ? '' : ` ${euros(answer.aRecuperer)} déjà versés seront repris sur un prochain paiement.`;
  say('#returns-status', `Facture ${numeroFacture} annulée.${recovery}`);
}
