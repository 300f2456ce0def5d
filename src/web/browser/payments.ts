/**
 * The payments page (/paiements): the site's transfers over a period, and one transfer's
 * remittance with each invoice it paid and each amount it took back, from the JSON API
 * (GET /api/v1/payments and /api/v1/payments/:reference); amounts in euros, days in French.
 */
import { failure, get, say } from './api.js';
import { day, el, fillTable } from './dom.js';
import { chosenSite, euros, field, onSubmit } from './forms.js';
import { rememberChoice } from './remember.js';

interface Transfer {
  reference: string;
  date: string;
  statut: string;
  compte: string;
  montantVirement: number;
  factures: number;
  montantFactures: number;
  recuperations: number;
  montantRecupere: number;
}
interface Remittance extends Transfer {
  libelle: string;
  detail: { numero: string; lot: string; numeroFacture: string; demande: number; paye: number }[];
  indus: { numero: string; montant: number }[];
}

const states: Readonly<Record<string, string>> = { instructed: 'transmis à la banque', settled: 'débité', returned: 'rejeté par votre banque' };

const amount = (cents: number): HTMLTableCellElement => el('td', { class: 'n' }, euros(cents));
const site = (): string => encodeURIComponent(chosenSite());

async function showRemittance(reference: string): Promise<void> {
  const remittance = await get<Remittance>(`/api/v1/payments/${encodeURIComponent(reference)}?structure=${site()}`);
  say('#remittance-reference', remittance.reference);
  say('#remittance-label', `Libellé sur votre relevé bancaire : ${remittance.libelle}. Payé le ${day(remittance.date)} : ${String(remittance.factures)} facture(s) pour ${euros(remittance.montantFactures)}.`);
  fillTable('#remittance-invoices', remittance.detail.map((line) => el('tr', {},
    el('td', {}, line.numero), el('td', {}, line.lot), el('td', {}, line.numeroFacture), amount(line.demande), amount(line.paye),
  )), 'Aucune facture.');
  fillTable('#remittance-recoveries', remittance.indus.map((taken) => el('tr', {}, el('td', {}, taken.numero), amount(taken.montant))), 'Aucun indu repris.');
  const section = document.querySelector<HTMLElement>('#remittance');
  if (section) section.hidden = false;
  document.querySelector<HTMLElement>('#remittance-title')?.focus();
}

function detailButton(transfer: Transfer): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'quiet', 'aria-label': `Relevé du virement ${transfer.reference}` }, 'Relevé');
  button.addEventListener('click', () => {
    showRemittance(transfer.reference).catch((error: unknown) => say('#transfers-status', failure(error)));
  });
  return button;
}

const transferRow = (t: Transfer): HTMLTableRowElement => el('tr', {},
  el('td', {}, day(t.date)), el('td', {}, t.reference), el('td', {}, t.compte), el('td', {}, states[t.statut] ?? t.statut),
  el('td', { class: 'n' }, String(t.factures)), amount(t.montantFactures), amount(t.montantRecupere), amount(t.montantVirement), el('td', {}, detailButton(t)),
);

async function load(form: HTMLFormElement): Promise<void> {
  // Another site or period: the remittance shown belongs to the list before.
  document.querySelector('#remittance')?.setAttribute('hidden', '');
  const query = new URLSearchParams({ structure: chosenSite(), du: field(form, 'du'), au: field(form, 'au') });
  const { virements } = await get<{ virements: Transfer[] }>(`/api/v1/payments?${query.toString()}`);
  fillTable('#transfers', virements.map(transferRow), 'Aucun virement sur cette période.');
  say('#transfers-status', virements.length === 0 ? 'Aucun virement sur cette période.' : `${String(virements.length)} virement(s).`);
}

rememberChoice('select[name=structure]');

const period = document.querySelector<HTMLFormElement>('#period');
const reload = (form: HTMLFormElement): Promise<void> => load(form).catch((error: unknown) => {
  say('#transfers-status', `${failure(error)} Vérifiez les dates (une période d’un an au plus).`);
});
onSubmit('#period', reload);
document.querySelector('select[name=structure]')?.addEventListener('change', () => {
  if (period) void reload(period);
});
if (period) void reload(period);
