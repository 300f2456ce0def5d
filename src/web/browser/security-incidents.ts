/**
 * The incidents' page (/securite/incidents): the access log's last verification and its
 * witnesses (GET /api/v1/security/audit-log), the incidents with their 72-hour clock
 * (GET /api/v1/incidents), and an incident opened by hand (POST /api/v1/incidents).
 */
import { failure, get, post, say } from './api.js';
import { el, fillTable, row, when } from './dom.js';
import { field, onSubmit } from './forms.js';
import { clockWords, type Clock } from './incident-clock.js';

interface IncidentLine extends Clock { incident: number; titre: string; alerte: number | null; personnes: number | null }
interface Witness { temoin: string; tetes: number; tailleArbre: number }
interface LogStatus {
  derniereVerification: { le: string; integre: boolean; feuilles: number; pointsDeControle: number; probleme: { code: string; detail: string } | null; temoins: Witness[] } | null;
  dernierPointDeControle: { tailleArbre: number; le: string } | null;
}

function verdict(status: LogStatus): string {
  const last = status.derniereVerification;
  const signed = status.dernierPointDeControle;
  const since = signed ? ` Dernier point de contrôle signé le ${when(signed.le)} : ${signed.tailleArbre} accès.` : ' Aucun point de contrôle signé.';
  if (!last) return `Aucune vérification enregistrée : lancez « rempart audit verify » sur le poste de la console.${since}`;
  if (!last.integre) {
    const problem = last.probleme ? `${last.probleme.code} — ${last.probleme.detail}` : 'anomalie';
    return `ANOMALIE trouvée le ${when(last.le)} après ${last.feuilles} accès : ${problem}. Ouvrez un incident et conservez les témoins.${since}`;
  }
  return `Journal vérifié le ${when(last.le)} : intègre (accès recalculés : ${last.feuilles} ; points de contrôle signés vérifiés : ${last.pointsDeControle}).${since}`;
}

/** A witness is behind when it holds no head as large as the latest signed checkpoint. */
const witnessState = (witness: Witness, signed: number): string =>
  witness.tailleArbre >= signed ? 'à jour' : `en retard de ${signed - witness.tailleArbre} accès : remettez-lui les têtes (rempart audit witness)`;

async function loadLog(): Promise<void> {
  const status = await get<LogStatus>('/api/v1/security/audit-log');
  say('#log-status', verdict(status));
  const signed = status.dernierPointDeControle?.tailleArbre ?? 0;
  const witnesses = status.derniereVerification?.temoins ?? [];
  fillTable('#witnesses', witnesses.map((w) => row(w.temoin, String(w.tetes), String(w.tailleArbre), witnessState(w, signed))),
    'Aucun témoin lu : sans témoin, un journal réécrit et signé avec une clé volée passerait la vérification.');
}

function clockCell(line: IncidentLine): HTMLElement {
  return el('span', { class: line.echeanceDepassee ? 'late' : '' }, `${when(line.notifierAvant)} (${clockWords(line.minutesRestantes)})`);
}

async function loadIncidents(): Promise<void> {
  const lines = await get<IncidentLine[]>('/api/v1/incidents');
  fillTable('#incidents', lines.map((line) => row(
    el('a', { href: `/securite/incidents/${line.incident}` }, `${line.incident} — ${line.titre}`),
    when(line.detecteLe),
    clockCell(line),
    line.personnes === null ? 'pas encore figé' : String(line.personnes),
  )), 'Aucun incident.');
}

/** Numbers typed one after another, separated by spaces or commas. */
const listed = (text: string): string[] => text.split(/[\s,;]+/).filter((item) => item.length > 0);

onSubmit('#open-incident', async (form) => {
  try {
    const body = {
      titre: field(form, 'titre'), debut: `${field(form, 'debut')}T00:00:00Z`,
      rpps: listed(field(form, 'rpps')), sites: listed(field(form, 'sites')), reseaux: listed(field(form, 'reseaux')), logiciels: listed(field(form, 'logiciels')),
    };
    const opened = await post<{ incident: number }>('/api/v1/incidents', body);
    window.location.assign(`/securite/incidents/${opened.incident}`);
  } catch (error) {
    say('#open-status', `${failure(error)} Corrigez le périmètre puis ouvrez de nouveau.`);
  }
});

loadLog().catch((error: unknown) => say('#log-status', `${failure(error)} Rechargez la page.`));
loadIncidents().catch((error: unknown) => {
  say('#open-status', `${failure(error)} Rechargez la page ; si cela se reproduit, prévenez l’équipe d’exploitation.`);
  fillTable('#incidents', [], 'Incidents indisponibles.');
});
