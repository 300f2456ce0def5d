/**
 * The insurer console's home (/organisme): the files loaded for the insurer and their reject
 * lines, from GET /api/v1/insurer/loads, and its member portals, from GET /api/v1/insurer/portal-clients.
 */
import { get, say, unavailable } from './api.js';
import { day, el, fillTable, num, row, when } from './dom.js';

interface Load {
  fichier: string; type: string; mode: string; lignes: number; appliquees: number; inchangees: number; rejetees: number;
  radiations: number; radiations_suspendues: number; date_fichier: string | null; rejoue: boolean; fin: string;
  rejets: { ligne: number; champ: string; code: string; message: string }[];
}
interface Portal { client: string; nom: string; statut: 'active' | 'suspended'; cles: string[]; enregistreLe: string }

const modes: Record<string, string> = { complet: 'complet', delta: 'différentiel' };

/** A count that needs the insurer's attention (rejects, removals left waiting) stands out. */
function alarming(value: number): HTMLTableCellElement {
  const cell = num(value);
  if (value > 0) cell.classList.add('alert');
  return cell;
}

function loadRow(load: Load): HTMLTableRowElement {
  const kind = `${load.type} (${modes[load.mode] ?? load.mode})${load.rejoue ? ', rejoué' : ''}`;
  return row(
    when(load.fin), load.fichier, kind, load.date_fichier === null ? '—' : day(load.date_fichier),
    num(load.lignes), num(load.appliquees), num(load.inchangees), alarming(load.rejetees), num(load.radiations), alarming(load.radiations_suspendues),
  );
}

const portalRow = (portal: Portal): HTMLTableRowElement =>
  row(portal.client, portal.nom, portal.statut === 'active' ? 'actif' : 'suspendu', portal.cles.join(', ') || '—', when(portal.enregistreLe));

/** A loaded file's reject lines, as a table named after the file. */
function rejectTable(load: Load): HTMLTableElement {
  const more = load.rejetees > load.rejets.length ? ` (les ${String(load.rejets.length)} premières sur ${String(load.rejetees)})` : '';
  return el('table', {},
    el('caption', {}, `${load.fichier}, chargé le ${when(load.fin)}${more}`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', class: 'n' }, 'Ligne'), ...['Champ', 'Code', 'Message'].map((column) => el('th', { scope: 'col' }, column)))),
    el('tbody', {}, ...load.rejets.map((reject) => row(num(reject.ligne === 0 ? '—' : reject.ligne), reject.champ || '—', reject.code, reject.message))),
  );
}

async function load(): Promise<void> {
  const [loads, portals] = await Promise.all([get<Load[]>('/api/v1/insurer/loads'), get<Portal[]>('/api/v1/insurer/portal-clients')]);
  fillTable('#loads', loads.map(loadRow), 'Aucun fichier chargé pour votre organisme.');
  const rejected = loads.filter((one) => one.rejets.length > 0);
  document.querySelector('#rejects')?.replaceChildren(...(rejected.length > 0 ? rejected.map(rejectTable) : [el('p', {}, 'Aucune ligne rejetée.')]));
  fillTable('#portals', portals.map(portalRow), 'Aucun portail adhérent enregistré.');
  const lines = loads.reduce((sum, one) => sum + one.rejetees, 0);
  const waiting = loads.reduce((sum, one) => sum + one.radiations_suspendues, 0);
  say('#loads-status', `${String(loads.length)} fichier(s) ; ${String(lines)} ligne(s) rejetée(s), ${String(waiting)} radiation(s) en attente.`);
}

load().catch((error: unknown) => {
  say('#loads-status', unavailable(error));
  fillTable('#loads', [], 'Fichiers indisponibles.');
  fillTable('#portals', [], 'Portails indisponibles.');
});
