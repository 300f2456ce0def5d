import { causeLabels } from '../db-sink.js';
import type { Cause } from '../decisions.js';
import type { Profile } from '../profile.js';

/**
 * The simulator's report in French, like the rest of the platform's words: what contained
 * an attack, why a legitimate account met a step-up. Signal names (hour, day, missesHour…)
 * stay the thresholds' own names, as the security console shows them with their values.
 */

/** The step-up the security team reads elsewhere (console, decisions). */
export const STEP_UP = 'confirmation d’identité';

const profileWords: Readonly<Record<Profile, string>> = {
  pharmacy: 'pharmacie',
  physician: 'médecin',
  dentist: 'dentiste',
  optician: 'opticien',
  audiologist: 'audioprothésiste',
  nurse: 'infirmier',
  laboratory: 'laboratoire',
  hospital: 'établissement de santé',
  other: 'autre',
};

/** What was special about a site that day: see run.ts contextOf. */
export type DayTag = 'new_site' | 'merger' | 'epidemic' | 'sunday' | 'monday';

const tagWords: Readonly<Record<DayTag, string>> = { new_site: 'site nouveau', merger: 'fusion', epidemic: 'épidémie', sunday: 'dimanche', monday: 'lundi' };

function causeWords(cause: string): string {
  return causeLabels[cause as Cause] ?? cause;
}

/** « confirmation d’identité : hour 17 > 15.9 » or « suspension : compte inutilisé depuis longtemps ». */
export function containedWords(action: 'step_up' | 'suspend', why: { findings: string } | { cause: string }): string {
  return `${action === 'suspend' ? 'suspension' : STEP_UP} : ${'findings' in why ? why.findings : causeWords(why.cause)}`;
}

/** How the slow campaign (c) ended: the platform alert, or none. */
export function campaignWords(alertFindings: string | null, containedBefore: number, accounts: number): string {
  return alertFindings === null
    ? `pas d’alerte de la plateforme (${containedBefore}/${accounts} comptes confinés un à un)`
    : `alerte de la plateforme : ${alertFindings} (${containedBefore}/${accounts} confinés avant)`;
}

/** Before any decision: the attacker met a pending step-up, or an account already closed. */
export const actorWords = { pending: `${STEP_UP} en attente`, suspended: 'suspendu', closed: 'fermé', notContained: 'non confiné' } as const;

/** Why a legitimate account met a step-up or a suspension: « confirmation d’identité, pharmacie, day (lundi) ». */
export function falseAlarmWords(action: 'step_up' | 'suspend', profile: string, why: { signals: readonly string[] } | { cause: string }, tags: readonly DayTag[] | null): string {
  const reason = 'signals' in why ? why.signals.join('+') : causeWords(why.cause);
  const day = tags === null ? 'site inconnu' : tags.length > 0 ? tags.map((tag) => tagWords[tag]).join(', ') : 'jour ordinaire';
  return `${action === 'suspend' ? 'suspension' : STEP_UP}, ${profileWords[profile as Profile] ?? profile}, ${reason} (${day})`;
}

/** The contained-by text without its figures, to group seeds: « confirmation d’identité : hour, day ». */
export function withoutFigures(containedBy: string): string {
  return containedBy.replace(/ [\d.]+ > [\d.]+/g, '').replace(/ \(\d+\/\d+ confinés avant\)/, '');
}

/** A number the French way: decimal comma. */
export function frenchNumber(value: number, digits: number): string {
  return value.toFixed(digits).replace('.', ',');
}

/** Signal names of the report, in words (a legend under its tables). */
export const signalLegend: readonly [string, string][] = [
  ['minute, hour, day', 'patients distincts vérifiés dans la minute, l’heure, les 24 heures'],
  ['missesHour', 'vérifications sans résultat (inconnus) dans l’heure, du compte ou, pour une alerte, de toute la plateforme'],
  ['unfollowedDay', 'patients vérifiés depuis plus de dix minutes et jamais calculés, sur 24 heures'],
  ['offHoursDay', 'patients vérifiés la nuit (21 h – 7 h, heure de Paris), sur 24 heures'],
  ['elevatedAccounts', 'plateforme : comptes proches de leurs seuils dans les six dernières heures'],
  ['aboveUsualAccounts', 'plateforme : comptes au-dessus de leur habitude (une heure au-delà de 60 % de leur seuil horaire) dans les deux dernières heures'],
  ['peopleHour', 'plateforme : personnes distinctes consultées dans l’heure, contre l’habitude de cette heure'],
  ['driftScore, driftCumulative', 'plateforme : dérive quotidienne des comptes (écarts-types) et sa somme cumulée'],
  ['uninvoicedScore, uninvoicedCumulative', 'plateforme : dérive quotidienne des engagements échus sans facture dans le délai de la profession (écarts-types) et sa somme cumulée'],
  ['uninvoicedAccounts', 'comptes dont les engagements échus la veille sont restés sans facture bien au-delà de leur part habituelle'],
];
