/**
 * The insurer's funding page (/organisme/financement): one statement per payment day of the
 * period, from GET /api/v1/insurer/funding, and the link to the chosen month's CSV statement.
 */
import { get, say } from './api.js';
import { day, fillTable, num, row } from './dom.js';
import { euros } from './forms.js';
import { onPeriod } from './insurer-period.js';

interface FundingDay { jour: string; factures: number; montantFactures: number; recuperations: number; montantRecupere: number; aFinancer: number }

const fundingRow = (d: FundingDay): HTMLTableRowElement =>
  row(day(d.jour), num(d.factures), num(euros(d.montantFactures)), num(d.recuperations), num(euros(d.montantRecupere)), num(euros(d.aFinancer)));

onPeriod('#funding-status', async (query) => {
  const days = await get<FundingDay[]>(`/api/v1/insurer/funding?${query}`);
  fillTable('#funding', days.map(fundingRow), 'Aucun paiement sur la période.');
  const total = days.reduce((sum, one) => sum + one.aFinancer, 0);
  say('#funding-status', `${String(days.length)} jour(s) de paiement ; à financer sur la période : ${euros(total)}.`);
});

/** The statement's link follows the month chosen: a plain download, the session's cookie goes with it. */
const month = document.querySelector<HTMLInputElement>('#statement input[name=mois]');
month?.addEventListener('change', () => {
  if (/^\d{4}-\d{2}$/.test(month.value)) document.querySelector('#statement-link')?.setAttribute('href', `/api/v1/insurer/funding/${month.value}.csv`);
});
document.querySelector('#statement')?.addEventListener('submit', (event) => event.preventDefault());
