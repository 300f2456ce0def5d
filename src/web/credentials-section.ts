import type { CredentialsView } from '../access/credentials-view.js';
import type { Notice } from '../payments/bank-accounts/store.js';
import { STRONG_PROOF_SECONDS } from '../access/people/strong-proof.js';
import { escapeHtml } from '../http/html.js';
import { networkOf } from '../http/network.js';

/** Instants as a French reader expects them, in Paris time whatever the server's zone. */
const moment = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
const at = (date: Date | null): string => (date === null ? '—' : escapeHtml(moment.format(date)));
const device = (text: string | null): string => escapeHtml(text ?? 'inconnu');
const network = (ip: string | null): string => escapeHtml(ip === null ? 'inconnu' : networkOf(ip));
const methods: Record<string, string> = { psc: 'Pro Santé Connect', passkey: 'clé d’accès' };

/** Where the person stands for enrolments: when their strong proof was given, and how to renew it. */
export function proofBlock(strongProofAt: Date | null, now: Date): string {
  const left = strongProofAt === null ? 0 : STRONG_PROOF_SECONDS - Math.floor((now.getTime() - strongProofAt.getTime()) / 1000);
  const state = left > 0
    ? `Identité confirmée le ${at(strongProofAt)} : pendant encore ${Math.ceil(left / 60)} min, vous pouvez enregistrer ou retirer une clé d’accès, un logiciel ou une délégation depuis cet appareil.`
    : `Pour enregistrer ou retirer une clé d’accès, un logiciel ou une délégation, confirmez d’abord votre identité (valable ${STRONG_PROOF_SECONDS / 60} minutes, sur cet appareil).`;
  return `<h2>Confirmer mon identité</h2>
<p id="proof-state">${state}</p>
<p><button id="step-up" type="button">Confirmer avec une clé d'accès déjà enregistrée</button> ou <a href="/auth/login">avec Pro Santé Connect</a> <span id="step-up-status"></span></p>`;
}

/** The person's passkeys, open sessions and enrolments, each with its date, device and network; passkeys and sessions revocable. */
export function credentialsSection(view: CredentialsView, currentSession: string): string {
  const passkeys = view.passkeys.map((p) => `<tr><td>${at(p.registeredAt)}</td><td>${device(p.device)}</td><td>${network(p.ip)}</td><td>${at(p.lastUsedAt)}</td>
<td><button type="button" data-revoke-passkey="${escapeHtml(p.id)}">Retirer</button></td></tr>`);
  const sessions = view.sessions.map((s) => `<tr><td>${at(s.openedAt)}</td><td>${escapeHtml(methods[s.method] ?? s.method)}</td><td>${at(s.provedAt)}</td><td>${device(s.device)}</td><td>${network(s.ip)}</td>
<td>${s.ref === currentSession ? 'cette session <button type="button" data-current="1"' : '<button type="button"'} data-revoke-session="${escapeHtml(s.ref)}">Fermer</button></td></tr>`);
  const enrolments = view.enrolments.map((e) => `<tr><td>${at(e.at)}</td><td>${escapeHtml(e.what)}</td><td>${device(e.device)}</td><td>${network(e.ip)}</td></tr>`);
  return `<h2>Mes clés d’accès</h2>
${table(['Enregistrée le', 'Appareil', 'Réseau', 'Dernière utilisation', ''], passkeys, 'Aucune clé d’accès.', 'passkeys')}
<h2>Mes sessions ouvertes</h2>
${table(['Ouverte le', 'Par', 'Dernière preuve', 'Appareil', 'Réseau', ''], sessions, 'Aucune session.', 'sessions')}
<h2>Mes enrôlements</h2>
<p class="note">Tout ce qui a été ajouté ou retiré à votre compte, et les tentatives refusées : si vous ne reconnaissez pas une ligne, fermez les sessions et retirez les clés que vous ne reconnaissez pas, puis prévenez le support.</p>
${table(['Le', 'Quoi', 'Appareil', 'Réseau'], enrolments, 'Aucun enrôlement.', 'enrolments')}
<p><span id="revoke-status"></span></p>`;
}

/**
 * What the administrators of the person's sites were all told (a bank account proposed,
 * confirmed or cancelled): a change they did not make is theirs to cancel.
 */
export function noticesSection(notices: readonly Notice[]): string {
  const rows = notices.map((n) => `<tr><td>${at(n.at)}</td><td>${escapeHtml(n.site)}</td><td>${escapeHtml(n.text)}</td></tr>`);
  return `<h2>Avis de mes structures</h2>
<p class="note">Si vous ne reconnaissez pas un changement de compte bancaire, annulez-le tant qu’il n’a pas pris effet (POST /api/v1/site/bank-account/pending/cancel) et prévenez l’opérateur.</p>
${table(['Le', 'Structure', 'Avis'], rows, 'Aucun avis.', 'notices')}`;
}

function table(headers: string[], rows: string[], empty: string, id: string): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>
${rows.join('\n') || `<tr><td colspan="${headers.length}">${escapeHtml(empty)}</td></tr>`}
</tbody></table>`;
}
