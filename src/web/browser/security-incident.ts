/**
 * One incident (/securite/incidents/:id): its scope, the 72-hour clock counting down, the
 * freeze of the exposed set and what each insurer's people were exposed to, and the
 * four-eyes export (request, another officer's approval, each after a fresh step-up), all
 * read and written through the JSON API (/api/v1/incidents/…).
 */
import { ApiError, failure, get, post, say } from './api.js';
import { el, fillTable, row, when } from './dom.js';
import { field, onSubmit } from './forms.js';
import { clockWords, type Clock } from './incident-clock.js';
import { stepUpOffer } from './step-up.js';

interface Category { categorie: string; libelle: string; personnes: number; premier: string; dernier: string }
interface Insurer { amc: string; nom: string; personnes: number; acces: number; categories: Category[] }
interface Snapshot { instantane: number; calculeLe: string; tailleArbre: number; racine: string; personnes: number; acces: number; organismes: Insurer[] }
interface Export { demande: number; instantane: number; motif: string; demandeLe: string; approbations: { par: string; le: string }[]; approuvee: boolean }
interface Incident extends Clock {
  incident: number;
  titre: string;
  perimetre: { du: string; au: string; alerte: number | null; ouvertPar: string; rpps: string[]; sites: string[]; logiciels: string[]; reseaux: string[]; appareils: string[] };
  instantanes: Snapshot[];
  demandes: Export[];
}

const id = document.querySelector<HTMLElement>('#incident')?.dataset.incident ?? '';
let latestSnapshot: number | undefined;
let ticking: number | undefined;

/** Counts down from the platform's figure, by the time elapsed here: the browser's own clock may be another. */
function startClock(incident: Incident): void {
  const loaded = performance.now();
  const tick = (): void => {
    const minutes = incident.minutesRestantes - Math.floor((performance.now() - loaded) / 60_000);
    const out = document.querySelector('#clock');
    if (!out) return;
    out.textContent = minutes >= 0 ? `Notifier avant le ${when(incident.notifierAvant)} : ${clockWords(minutes)}.` : `En retard : l’échéance du ${when(incident.notifierAvant)} est dépassée (${clockWords(minutes)}).`;
    out.classList.toggle('late', minutes < 0);
  };
  window.clearInterval(ticking);
  tick();
  ticking = window.setInterval(tick, 15_000);
  say('#clock-detail', `Détecté le ${when(incident.detecteLe)} ; les organismes doivent notifier la CNIL dans les 72 heures (RGPD, art. 33).`);
}

function fact(term: string, ...value: (Node | string)[]): HTMLElement[] {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function showScope({ titre, perimetre: p }: Incident): void {
  const accounts = p.rpps.flatMap((rpps, index) => [index > 0 ? ', ' : '', el('a', { href: `/securite/comptes/${rpps}` }, `RPPS ${rpps}`)]);
  const other: [string, string[]][] = [['Sites', p.sites], ['Logiciels', p.logiciels], ['Réseaux', p.reseaux], ['Appareils', p.appareils]];
  document.querySelector('#scope')?.replaceChildren(
    ...fact('Titre', titre),
    ...fact('Période', `du ${when(p.du)} au ${when(p.au)}`),
    ...fact('Ouvert par', p.ouvertPar),
    ...(p.alerte === null ? [] : fact('Alerte d’origine', el('a', { href: '/securite' }, `alerte ${p.alerte}`))),
    ...(p.rpps.length > 0 ? fact('Comptes', ...accounts) : []),
    ...other.filter(([, values]) => values.length > 0).flatMap(([term, values]) => fact(term, values.join(', '))),
  );
}

/** One row per insurer and what its people were exposed to; the insurer's name heads its rows. */
function insurerRows(insurer: Insurer): HTMLTableRowElement[] {
  return insurer.categories.map((category, index) => {
    const cells = [el('td', {}, category.libelle), el('td', { class: 'n' }, String(category.personnes)), el('td', {}, when(category.premier)), el('td', {}, when(category.dernier))];
    if (index > 0) return el('tr', {}, ...cells);
    const head = el('th', { scope: 'rowgroup', rowspan: String(insurer.categories.length) }, `${insurer.amc} — ${insurer.nom}`, el('br'), `${insurer.personnes} personnes, ${insurer.acces} accès`);
    return el('tr', {}, head, ...cells);
  });
}

function snapshotBlock(snapshot: Snapshot): HTMLElement {
  const head = el('tr', {}, ...['Organisme', 'Ce qui a été vu', 'Personnes', 'Premier accès', 'Dernier accès'].map((name) => el('th', { scope: 'col' }, name)));
  const body = snapshot.organismes.flatMap(insurerRows);
  return el('div', { class: 'snapshot' },
    el('h3', {}, `Instantané ${snapshot.instantane}, figé le ${when(snapshot.calculeLe)}`),
    el('p', {}, `${snapshot.personnes} personnes exposées, ${snapshot.acces} accès, contre le point de contrôle signé de ${snapshot.tailleArbre} accès (racine ${snapshot.racine.slice(0, 16)}…).`),
    body.length === 0 ? el('p', {}, 'Personne n’a été exposé dans ce périmètre.') : el('table', {}, el('caption', {}, `Personnes exposées par organisme, instantané ${snapshot.instantane}`), el('thead', {}, head), el('tbody', {}, ...body)),
  );
}

/** A four-eyes step refused for want of a recent proof offers the step-up, then makes the step again. */
const refused = stepUpOffer('#step-up-offer', '#export-status');

/** A four-eyes write: made, or refused (for want of a fresh step-up: offered, and made again after it). */
async function exportStep(write: () => Promise<{ approuvee: boolean }>, again: () => Promise<void>): Promise<void> {
  try {
    const done = await write();
    // Said once the page shows it: the status and the table agree.
    await load();
    say('#export-status', done.approuvee ? 'Export approuvé par deux responsables : le dossier peut être écrit.' : 'Demande enregistrée : un second responsable de la sécurité doit l’approuver.');
  } catch (error) {
    refused(error, again, 'Cette étape demande une confirmation d’identité de moins de cinq minutes : confirmez avec votre clé d’accès, elle reprendra ensuite.');
    // Four eyes: the requester's own approval is refused; say who must approve instead.
    if (error instanceof ApiError && error.code === 'MEMBER_EXPORT_SAME_OFFICER') {
      say('#export-status', 'Vous avez déjà approuvé cette demande (la demande vaut approbation) : un autre responsable de la sécurité doit l’approuver depuis sa propre session.');
    }
  }
}

const requestExport = (snapshot: number, motif: string): Promise<void> =>
  exportStep(() => post(`/api/v1/incidents/snapshots/${snapshot}/member-exports`, { motif }), () => requestExport(snapshot, motif));

const approveExport = (request: number): Promise<void> => exportStep(() => post(`/api/v1/incidents/member-exports/${request}/approvals`), () => approveExport(request));

function exportState(request: Export): HTMLElement {
  if (request.approuvee) return el('strong', {}, 'Approuvée');
  const button = el('button', { type: 'button' }, 'Approuver');
  button.addEventListener('click', () => void approveExport(request.demande));
  return el('div', {}, 'En attente d’un second responsable ', button);
}

const DOCUMENTS: [string, string][] = [['notification-cnil-projet', 'Projet de notification à la CNIL'], ['notice-du-sous-traitant', 'Notice du sous-traitant'], ['lettre-aux-adherents-modele', 'Modèle de lettre aux adhérents']];

/** Per insurer of the approved export's snapshot, its documents in PDF and Markdown (GET …/member-exports/:id/documents/:amc/:file). */
function documentLinks(request: Export, snapshots: readonly Snapshot[]): HTMLElement[] {
  const insurers = snapshots.find((s) => s.instantane === request.instantane)?.organismes ?? [];
  const link = (amc: string, name: string, format: string): HTMLElement => el('a', { href: `/api/v1/incidents/member-exports/${request.demande}/documents/${amc}/${name}.${format}`, download: '' }, format === 'pdf' ? 'PDF' : 'Markdown');
  return insurers.map((insurer) => el('li', {}, `${insurer.amc} — ${insurer.nom} : `, ...DOCUMENTS.flatMap(([name, label], index) => [
    index > 0 ? ' ; ' : '', `${label} (`, link(insurer.amc, name, 'pdf'), ', ', link(insurer.amc, name, 'md'), ')',
  ])));
}

function showExports(requests: readonly Export[], snapshots: readonly Snapshot[]): void {
  fillTable('#exports', requests.map((r) => row(
    `${r.demande} (instantané ${r.instantane}, le ${when(r.demandeLe)})`,
    r.motif,
    el('ul', { class: 'plain' }, ...r.approbations.map((a) => el('li', {}, `${a.par}, le ${when(a.le)}`))),
    exportState(r),
  )), 'Aucune demande.');
  const approved = requests.filter((r) => r.approuvee).at(-1);
  document.querySelector<HTMLElement>('#package')?.toggleAttribute('hidden', approved === undefined);
  if (!approved) return;
  document.querySelector('#package-documents')?.replaceChildren(...documentLinks(approved, snapshots));
  say('#package-command', `rempart incident export ${approved.demande} --out ./incident-${id} --measure "…"`);
}

async function load(): Promise<void> {
  const incident = await get<Incident>(`/api/v1/incidents/${id}`);
  startClock(incident);
  showScope(incident);
  document.querySelector('#snapshots')?.replaceChildren(...[...incident.instantanes].reverse().map(snapshotBlock));
  latestSnapshot = incident.instantanes.at(-1)?.instantane;
  document.querySelector<HTMLElement>('#request-export')?.toggleAttribute('hidden', latestSnapshot === undefined);
  showExports(incident.demandes, incident.instantanes);
}

document.querySelector('#freeze')?.addEventListener('click', () => {
  post<{ instantane: number; personnes: number }>(`/api/v1/incidents/${id}/snapshots`)
    .then(async (frozen) => { await load(); say('#freeze-status', `Exposition figée : instantané ${frozen.instantane}, ${frozen.personnes} personnes.`); })
    .catch((error: unknown) => say('#freeze-status', `${failure(error)} Attendez le prochain point de contrôle signé, puis figez de nouveau.`));
});

onSubmit('#request-export', async (form) => {
  if (latestSnapshot !== undefined) await requestExport(latestSnapshot, field(form, 'motif'));
});

load().catch((error: unknown) => say('#clock', `${failure(error)} Vérifiez le numéro de l’incident, ou repartez de la liste des incidents.`));
