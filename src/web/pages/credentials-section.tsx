import type { Children } from '@kitajs/html';
import type { CredentialsView } from '../../access/credentials-view.js';
import { STRONG_PROOF_SECONDS } from '../../access/people/strong-proof.js';
import { networkOf } from '../../http/network.js';
import type { Notice } from '../../payments/bank-accounts/store.js';

/** Instants as a French reader expects them, in Paris time whatever the server's zone. */
const moment = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
const at = (date: Date | null): string => (date === null ? '—' : moment.format(date));
const device = (text: string | null): string => text ?? 'inconnu';
const network = (ip: string | null): string => (ip === null ? 'inconnu' : networkOf(ip));
export const methods: Readonly<Record<string, string>> = { psc: 'Pro Santé Connect', passkey: 'clé d’accès' };

/** Where the person stands for enrolments: when their strong proof was given, and how to renew it. */
export function ProofBlock({ strongProofAt, now }: { strongProofAt: Date | null; now: Date }): JSX.Element {
  const left = strongProofAt === null ? 0 : STRONG_PROOF_SECONDS - Math.floor((now.getTime() - strongProofAt.getTime()) / 1000);
  const state = left > 0
    ? `Identité confirmée le ${at(strongProofAt)} : pendant encore ${Math.ceil(left / 60)} min, vous pouvez enregistrer ou retirer une clé d’accès, un logiciel ou une délégation depuis cet appareil.`
    : `Pour enregistrer ou retirer une clé d’accès, un logiciel ou une délégation, confirmez d’abord votre identité (valable ${STRONG_PROOF_SECONDS / 60} minutes, sur cet appareil).`;
  return (
    <>
      <h2>Confirmer mon identité</h2>
      <p id="proof-state" safe>{state}</p>
      <p>
        <button id="step-up" type="button">Confirmer avec une clé d'accès déjà enregistrée</button> ou <a href="/auth/login">avec Pro Santé Connect</a>{' '}
        <span id="step-up-status" role="status"></span>
      </p>
    </>
  );
}

function Table({ id, headers, empty, children }: { id: string; headers: string[]; empty: string; children: JSX.Element[] }): JSX.Element {
  return (
    <table id={id}>
      <thead><tr>{headers.map((header) => <th scope="col" safe>{header}</th>)}</tr></thead>
      <tbody>{children.length === 0 ? <tr><td colspan={String(headers.length)} safe>{empty}</td></tr> : children}</tbody>
    </table>
  );
}

/** A revocation button: its label says what it closes, for whoever does not see the row. */
function Revoke(props: { label: string; data: Record<string, string>; children: Children }): JSX.Element {
  return <button type="button" class="quiet" aria-label={props.label} {...props.data}>{props.children}</button>;
}

/** The person's passkeys, open sessions and enrolments, each with its date, device and network; passkeys and sessions revocable. */
export function CredentialsSection({ view, currentSession }: { view: CredentialsView; currentSession: string }): JSX.Element {
  return (
    <>
      <h2>Mes clés d’accès</h2>
      <Table id="passkeys" headers={['Enregistrée le', 'Appareil', 'Réseau', 'Dernière utilisation', 'Action']} empty="Aucune clé d’accès.">
        {view.passkeys.map((p) => (
          <tr><td safe>{at(p.registeredAt)}</td><td safe>{device(p.device)}</td><td safe>{network(p.ip)}</td><td safe>{at(p.lastUsedAt)}</td>
            <td><Revoke label={`Retirer la clé enregistrée le ${at(p.registeredAt)}`} data={{ 'data-revoke-passkey': p.id }}>Retirer</Revoke></td></tr>
        ))}
      </Table>
      <h2>Mes sessions ouvertes</h2>
      <Table id="sessions" headers={['Ouverte le', 'Par', 'Dernière preuve', 'Appareil', 'Réseau', 'Action']} empty="Aucune session.">
        {view.sessions.map((s) => {
          const current = s.ref === currentSession;
          const data: Record<string, string> = current ? { 'data-revoke-session': s.ref, 'data-current': '1' } : { 'data-revoke-session': s.ref };
          return (
            <tr><td safe>{at(s.openedAt)}</td><td safe>{methods[s.method] ?? s.method}</td><td safe>{at(s.provedAt)}</td><td safe>{device(s.device)}</td><td safe>{network(s.ip)}</td>
              <td>{current ? <span>cette session </span> : ''}<Revoke label={`Fermer la session ouverte le ${at(s.openedAt)}`} data={data}>Fermer</Revoke></td></tr>
          );
        })}
      </Table>
      <h2>Mes enrôlements</h2>
      <p class="note">Tout ce qui a été ajouté ou retiré à votre compte, et les tentatives refusées : si vous ne reconnaissez pas une ligne, fermez les sessions et retirez les clés que vous ne reconnaissez pas, puis prévenez le support.</p>
      <Table id="enrolments" headers={['Le', 'Quoi', 'Appareil', 'Réseau']} empty="Aucun enrôlement.">
        {view.enrolments.map((e) => <tr><td safe>{at(e.at)}</td><td safe>{e.what}</td><td safe>{device(e.device)}</td><td safe>{network(e.ip)}</td></tr>)}
      </Table>
      <p><span id="revoke-status" role="status"></span></p>
    </>
  );
}

/**
 * What the administrators of the person's sites were all told (a bank account proposed,
 * confirmed or cancelled): a change they did not make is theirs to cancel.
 */
export function NoticesSection({ notices, administers }: { notices: readonly Notice[]; administers: boolean }): JSX.Element {
  return (
    <>
      <h2>Avis de mes structures</h2>
      <p class="note">
        Si vous ne reconnaissez pas un changement de compte bancaire,{' '}
        {administers ? <>annulez-le depuis <a href="/structure">Ma structure</a></> : 'demandez à un titulaire de la structure de l’annuler'} tant qu’il n’a pas pris effet, et
        prévenez l’opérateur.
      </p>
      <Table id="notices" headers={['Le', 'Structure', 'Avis']} empty="Aucun avis.">
        {notices.map((n) => <tr><td safe>{at(n.at)}</td><td safe>{n.site}</td><td safe>{n.text}</td></tr>)}
      </Table>
    </>
  );
}
