/**
 * The insurer's invoices page (/organisme/factures): the invoices held for its review, and over the period its rejections by
 * reason (with a chart), what it owes per decision day, its invoices page by page through the
 * cursor, and the CSV export's link; all from /api/v1/insurer/invoices…, every value as text.
 */
import { get, say, unavailable } from './api.js';
import { barChart } from './chart.js';
import { day, el, fillTable, num, row, when } from './dom.js';
import { euros } from './forms.js';
import { statusLabel } from './invoice-words.js';
import { showHeld } from './insurer-held.js';
import { onPeriod } from './insurer-period.js';

interface Rejection { motif: string; libelle: string; libelleCategorie: string; rejetees: number; reduites: number; demande: number; nonPaye: number }
interface Due { jour: string; factures: number; aFinancer: number }
interface Invoice { numero: string; finess: string | null; siret: string | null; rpps: string; dateSoins: string; statut: string; libelle: string | null; demande: number; paye: number; decideeLe: string }
interface InvoicePage { factures: Invoice[]; suivant: string | null }

const rejectionRow = (r: Rejection): HTMLTableRowElement =>
  row(`${r.libelle} (${r.motif})`, r.libelleCategorie, num(r.rejetees), num(r.reduites), num(euros(r.demande)), num(euros(r.nonPaye)));

const dueRow = (d: Due): HTMLTableRowElement => row(day(d.jour), num(d.factures), num(euros(d.aFinancer)));

const invoiceRow = (i: Invoice): HTMLTableRowElement =>
  row(when(i.decideeLe), el('td', { class: 'wrap' }, i.numero), i.finess ?? i.siret ?? '—', i.rpps, day(i.dateSoins), statusLabel(i.statut), num(euros(i.demande)), num(euros(i.paye)), i.libelle ?? '');

/** A chart's label is cut short (the table beside it gives it whole): a long one would run off the chart's side. */
const CHART_LABEL = 28;
const short = (label: string): string => (label.length > CHART_LABEL ? `${label.slice(0, CHART_LABEL - 1)}…` : label);

function showRejections(rejections: readonly Rejection[]): void {
  fillTable('#rejections', rejections.map(rejectionRow), 'Aucun rejet ni aucune réduction sur la période.');
  const chart = document.querySelector('#rejections-chart');
  chart?.querySelector('svg')?.remove();
  if (rejections.length > 0) chart?.prepend(barChart('Factures rejetées ou réduites par motif', rejections.map((r) => ({ label: short(r.libelle), value: r.rejetees + r.reduites }))));
}

/** The period's invoices: its query, and the cursor of the next page (none before the first). */
let list: { query: string; next: string | null } | undefined;
const more = document.querySelector<HTMLButtonElement>('#invoices-more');

async function readInvoices(): Promise<void> {
  if (!list) return;
  const reading = list;
  const cursor = reading.next === null ? '' : `&cursor=${encodeURIComponent(reading.next)}`;
  if (more) more.disabled = true;
  const page = await get<InvoicePage>(`/api/v1/insurer/invoices?${reading.query}&limit=50${cursor}`).finally(() => {
    if (more) more.disabled = false;
  });
  // Another period was asked for meanwhile: this page belongs to the one before.
  if (reading !== list) return;
  reading.next = page.suivant;
  const body = document.querySelector('#invoices tbody');
  if (cursor === '') fillTable('#invoices', page.factures.map(invoiceRow), 'Aucune facture décidée sur la période.');
  else body?.append(...page.factures.map(invoiceRow));
  if (more) more.hidden = page.suivant === null;
}

onPeriod('#invoices-status', async (query) => {
  list = { query, next: null };
  document.querySelector('#export')?.setAttribute('href', `/api/v1/insurer/invoices/export.csv?${query}`);
  const [rejections, due] = await Promise.all([get<Rejection[]>(`/api/v1/insurer/invoices/rejections?${query}`), get<Due[]>(`/api/v1/insurer/invoices/due?${query}`)]);
  showRejections(rejections);
  fillTable('#due', due.map(dueRow), 'Aucune facture payée sur la période.');
  await readInvoices();
  const period = new URLSearchParams(query);
  say('#invoices-status', `Décisions du ${day(period.get('du') ?? '')} au ${day(period.get('au') ?? '')}.`);
});

// Waiting for a decision whatever the period: shown at once; a decision reads the period again.
showHeld(() => document.querySelector<HTMLFormElement>('#period')?.requestSubmit()).catch((error: unknown) => say('#held-status', unavailable(error)));

more?.addEventListener('click', () => {
  readInvoices().catch((error: unknown) => say('#invoices-status', unavailable(error)));
});
