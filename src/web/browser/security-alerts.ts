/**
 * The alerts page (/securite): the shield's alerts from GET /api/v1/security/alerts, a chart
 * of how many came each day, and acknowledgement with a reason, all through the JSON API.
 */
import { failure, get, post, say, unavailable } from './api.js';
import { barChart, type Bar } from './chart.js';
import { el, fillTable, FRANCE, reasonForm, row, when } from './dom.js';

interface Alert {
  alerte: number;
  le: string;
  type: 'compte' | 'plateforme';
  resume: string;
  comptes: string[];
  acquittement: { par: string; le: string; motif: string } | null;
}

const DAYS = 14;
const kinds: Record<Alert['type'], string> = { compte: 'Compte', plateforme: 'Plateforme' };

/** Alerts per day over the last DAYS days, oldest first: a rise shows at a glance. */
function perDay(alerts: readonly Alert[]): Bar[] {
  const day = (date: Date): string => date.toLocaleDateString('fr-FR', { timeZone: FRANCE, day: '2-digit', month: '2-digit' });
  const counts = new Map<string, number>();
  const now = Date.parse(document.querySelector<HTMLElement>('#alerts-chart')?.dataset.now ?? '');
  for (const alert of alerts) counts.set(day(new Date(alert.le)), (counts.get(day(new Date(alert.le))) ?? 0) + 1);
  return Array.from({ length: DAYS }, (_, index) => {
    const label = day(new Date(now - (DAYS - 1 - index) * 86_400_000));
    return { label, value: counts.get(label) ?? 0 };
  });
}

const accountLinks = (rpps: readonly string[]): HTMLElement =>
  el('ul', { class: 'plain' }, ...rpps.map((one) => el('li', {}, el('a', { href: `/securite/comptes/${encodeURIComponent(one)}` }, `RPPS ${one}`))));

/** An incident on the alert's accounts, from 30 days before it: its page opens, to freeze the exposed set. */
function incidentButton(alert: Alert): HTMLElement {
  const button = el('button', { type: 'button', class: 'quiet' }, 'Ouvrir un incident');
  button.addEventListener('click', () => {
    post<{ incident: number }>('/api/v1/incidents', { alerte: alert.alerte })
      .then((opened) => window.location.assign(`/securite/incidents/${opened.incident}`))
      .catch((error: unknown) => say('#alerts-status', failure(error)));
  });
  return el('p', {}, button);
}

/** An open alert's state: a reason to give and the button; an acknowledged one says by whom, when and why. Either can open an incident. */
function state(alert: Alert): HTMLElement {
  if (alert.acquittement) return el('div', {}, el('span', {}, `Acquittée par ${alert.acquittement.par} le ${when(alert.acquittement.le)} : ${alert.acquittement.motif}`), incidentButton(alert));
  const form = reasonForm('Acquitter', (motif) => {
    post(`/api/v1/security/alerts/${alert.alerte}/acknowledge`, { motif })
      .then(async () => { await load(); say('#alerts-status', `Alerte ${alert.alerte} acquittée.`); })
      .catch((error: unknown) => say('#alerts-status', failure(error)));
  });
  return el('div', {}, el('strong', {}, 'Ouverte'), form, incidentButton(alert));
}

async function load(): Promise<void> {
  const alerts = await get<Alert[]>('/api/v1/security/alerts');
  const chart = document.querySelector('#alerts-chart');
  chart?.querySelector('svg')?.remove();
  chart?.prepend(barChart('Alertes par jour', perDay(alerts)));
  fillTable('#alerts', alerts.map((alert) => row(when(alert.le), kinds[alert.type], alert.resume, accountLinks(alert.comptes), state(alert))), 'Aucune alerte.');
}

load().catch((error: unknown) => {
  say('#alerts-status', unavailable(error));
  fillTable('#alerts', [], 'Alertes indisponibles.');
});
