/**
 * One account in the security console (/securite/comptes/:rpps): its signals against its
 * thresholds, its suspensions (suspend; restore by a second officer after a fresh step-up)
 * and its history, all read and changed through the JSON API.
 */
import { failure, get, post, say } from './api.js';
import { barChart } from './chart.js';
import { fillTable, reasonForm, row, when } from './dom.js';
import { field, onSubmit } from './forms.js';
import { stepUpOffer } from './step-up.js';

interface Signals { signaux: Record<string, number>; niveau: 'normal' | 'slow' | 'step_up'; profils: { profil: string; seuils: Record<string, number | null> }[] }
interface Suspension { suspension: number; compte: string; motif: string; par: string; le: string }
interface TimelineItem { le: string; type: string; resume: string }

const rpps = document.querySelector<HTMLElement>('#account')?.dataset.rpps ?? '';
const signalNames: Record<string, string> = {
  minute: 'Patients, minute', hour: 'Patients, heure', day: 'Patients, 24 h', missesHour: 'Échecs, heure', unfollowedDay: 'Sans calcul, 24 h', offHoursDay: 'Hors heures, 24 h',
};
const levels: Record<Signals['niveau'], string> = { normal: 'normal', slow: 'ralenti', step_up: 'confirmation d’identité demandée' };
const kinds: Record<string, string> = { decision: 'Décision du bouclier', alerte: 'Alerte', suspension: 'Suspension', levee: 'Rétablissement', authentification: 'Authentification' };

async function loadSignals(): Promise<void> {
  const signals = await get<Signals>(`/api/v1/security/accounts/${rpps}/signals`);
  // The strictest threshold of the account's profiles is the one that trips first.
  const limit = (name: string): number | undefined => {
    const limits = signals.profils.map((p) => p.seuils[name]).filter((value): value is number => typeof value === 'number');
    return limits.length > 0 ? Math.min(...limits) : undefined;
  };
  say('#signals-level', `Niveau : ${levels[signals.niveau]}`);
  document.querySelector('#signals-chart svg')?.remove();
  document.querySelector('#signals-chart')?.prepend(
    barChart('Signaux du compte', Object.entries(signalNames).map(([name, label]) => ({ label, value: signals.signaux[name] ?? 0, limit: limit(name) }))),
  );
}

/** A lift refused for want of a recent proof offers the step-up, then lifts again. */
const refused = stepUpOffer('#step-up-offer', '#suspension-status');

async function lift(id: number, motif: string): Promise<void> {
  try {
    const done = await post<{ levee: boolean }>(`/api/v1/security/suspensions/${id}/lift`, { motif });
    await refresh();
    say('#suspension-status', done.levee ? 'Compte rétabli.' : 'Rétablissement demandé : un second responsable doit le confirmer.');
  } catch (error) {
    refused(error, () => lift(id, motif), 'Rétablir un compte demande une confirmation d’identité de moins de cinq minutes : confirmez avec votre clé d’accès, le rétablissement reprendra ensuite.');
  }
}

async function loadSuspensions(): Promise<void> {
  const mine = (await get<Suspension[]>('/api/v1/security/suspensions')).filter((s) => s.compte === `RPPS ${rpps}`);
  fillTable('#suspensions', mine.map((s) => row(when(s.le), s.par, s.motif, reasonForm('Rétablir', (motif) => void lift(s.suspension, motif)))), 'Aucune suspension en cours.');
}

async function loadTimeline(): Promise<void> {
  const items = await get<TimelineItem[]>(`/api/v1/security/accounts/${rpps}/timeline`);
  fillTable('#timeline', items.map((item) => row(when(item.le), kinds[item.type] ?? item.type, item.resume)), 'Rien d’enregistré pour ce compte.');
}

async function refresh(): Promise<void> {
  await Promise.all([loadSignals(), loadSuspensions(), loadTimeline()]);
}

onSubmit('#suspend', async (form) => {
  try {
    await post('/api/v1/security/suspensions', { rpps, motif: field(form, 'motif') });
    form.reset();
    await refresh();
    say('#suspension-status', 'Compte suspendu.');
  } catch (error) {
    say('#suspension-status', failure(error));
  }
});

refresh().catch((error: unknown) => say('#signals-level', `${failure(error)} Vérifiez le numéro RPPS, ou repartez des alertes.`));
