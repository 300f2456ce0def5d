/**
 * The insurer's incidents page (/organisme/incidents): the incidents whose frozen snapshots
 * hold its members, with the 72-hour clock, from GET /api/v1/insurer/incidents; the one the
 * address names (?incident=) in detail: its own lines only, and its inclusion proofs.
 */
import { get, say, unavailable } from './api.js';
import { el, fillTable, num, row, when } from './dom.js';

interface Clock { incident: number; titre: string; detecteLe: string; notifierAvant: string; minutesRestantes: number; echeanceDepassee: boolean }
interface Snapshot { instantane: number; calculeLe: string; tailleArbre: number; racine: string; personnes: number; acces: number }
interface Incident extends Clock { instantanes: Snapshot[] }
interface Line { vu: string[]; premierAcces: string; dernierAcces: string; acces: number }
interface SnapshotDetail extends Snapshot { parCategorie: { libelle: string; personnes: number }[]; lignes: Line[] }
interface IncidentDetail extends Clock { instantanes: SnapshotDetail[] }

/** « 46 h 05 min », or how long ago the deadline passed. */
function timeLeft(clock: Clock): string {
  const minutes = Math.abs(clock.minutesRestantes);
  const text = `${String(Math.floor(minutes / 60))} h ${String(minutes % 60).padStart(2, '0')} min`;
  return clock.echeanceDepassee ? `Échéance dépassée de ${text}` : text;
}

function incidentRow(incident: Incident): HTMLTableRowElement {
  const latest = incident.instantanes[incident.instantanes.length - 1];
  const link = el('a', { href: `/organisme/incidents?incident=${String(incident.incident)}`, 'aria-label': `Vos lignes de l’incident ${String(incident.incident)}` }, 'Vos lignes');
  const tr = row(`${String(incident.incident)} — ${incident.titre}`, when(incident.detecteLe), when(incident.notifierAvant), timeLeft(incident), num(latest?.personnes ?? 0), num(latest?.acces ?? 0), link);
  if (incident.echeanceDepassee) tr.classList.add('overdue');
  return tr;
}

/** A table of the snapshot; its last column holds figures. */
const table = (caption: string, columns: readonly string[], rows: readonly HTMLTableRowElement[]): HTMLTableElement =>
  el('table', {}, el('caption', { class: 'note' }, caption),
    el('thead', {}, el('tr', {}, ...columns.map((column, index) => el('th', index === columns.length - 1 ? { scope: 'col', class: 'n' } : { scope: 'col' }, column)))), el('tbody', {}, ...rows));

function snapshotSection(snapshot: SnapshotDetail): HTMLElement {
  const shown = snapshot.lignes.length < snapshot.personnes ? ` (les ${String(snapshot.lignes.length)} premières)` : '';
  return el('section', { class: 'panel', 'aria-labelledby': `snapshot-${String(snapshot.instantane)}` },
    el('h3', { id: `snapshot-${String(snapshot.instantane)}` }, `Instantané ${String(snapshot.instantane)}, figé le ${when(snapshot.calculeLe)}`),
    el('p', {}, `${String(snapshot.personnes)} adhérent(s) exposé(s), ${String(snapshot.acces)} accès. Journal signé : ${String(snapshot.tailleArbre)} entrées, racine `, el('code', { class: 'hash' }, snapshot.racine), '.'),
    el('p', {}, el('a', { href: `/api/v1/insurer/incidents/snapshots/${String(snapshot.instantane)}/inclusion-proofs`, download: '' }, 'Télécharger vos preuves d’inclusion (JSON)'),
      ' : chaque preuve relie l’accès d’un de vos adhérents à la racine signée ; vous vérifiez ainsi que la liste figée n’a pas été réduite.'),
    table('Ce qui a été vu, et de combien de vos adhérents', ['Ce qui a été vu', 'Adhérents'], snapshot.parCategorie.map((c) => row(c.libelle, num(c.personnes)))),
    table(`Vos lignes${shown} : une par adhérent exposé, sans numéro d’adhérent`, ['Ce qui a été vu', 'Premier accès', 'Dernier accès', 'Accès'],
      snapshot.lignes.map((line) => row(el('ul', { class: 'plain' }, ...line.vu.map((words) => el('li', {}, words))), when(line.premierAcces), when(line.dernierAcces), num(line.acces)))),
  );
}

async function showIncident(id: string): Promise<void> {
  const detail = await get<IncidentDetail>(`/api/v1/insurer/incidents/${encodeURIComponent(id)}`);
  say('#incident-title', `Incident ${String(detail.incident)} : ${detail.titre}`);
  say('#incident-clock', `Détecté le ${when(detail.detecteLe)} ; notification à la CNIL avant le ${when(detail.notifierAvant)} — ${detail.echeanceDepassee ? timeLeft(detail) : `reste ${timeLeft(detail)}`}.`);
  document.querySelector('#snapshots')?.replaceChildren(...detail.instantanes.map(snapshotSection));
  const section = document.querySelector<HTMLElement>('#incident');
  if (section) section.hidden = false;
  document.querySelector<HTMLElement>('#incident-title')?.focus();
}

async function load(): Promise<void> {
  const incidents = await get<Incident[]>('/api/v1/insurer/incidents');
  fillTable('#incidents', incidents.map(incidentRow), 'Aucun incident ne concerne vos adhérents.');
  say('#incidents-status', `${String(incidents.length)} incident(s) concernant vos adhérents.`);
  const chosen = new URLSearchParams(window.location.search).get('incident');
  if (chosen !== null) await showIncident(chosen);
}

load().catch((error: unknown) => {
  say('#incidents-status', unavailable(error));
  if (document.querySelector('#incidents tbody td[colspan]')?.textContent === 'Chargement…') fillTable('#incidents', [], 'Incidents indisponibles.');
});
