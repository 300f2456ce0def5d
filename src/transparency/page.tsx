import { Layout } from '../web/shell/layout.js';
import type { Shell } from '../web/shell/shell.js';
import type { OpenedLink } from './transparency.js';

/** The history as the insured person reads it: one plain sentence per access, newest first. */
export function HistoryPage({ shell, opened }: { shell: Shell; opened: OpenedLink }): JSX.Element {
  const insurer = opened.insurerName;
  return (
    <Layout title="Qui a consulté mes droits" shell={shell}>
      <h1>Qui a consulté vos droits</h1>
      <p safe>Quand un pharmacien, un médecin, un opticien ou un autre professionnel de santé vérifie vos droits auprès de {insurer}, ou calcule ce que votre complémentaire vous rembourse, la plateforme Rempart l’inscrit dans un journal. Voici ce journal, du plus récent au plus ancien.</p>
      {opened.entries.length === 0
        ? <p>Aucun professionnel de santé n’a consulté vos droits par la plateforme Rempart.</p>
        : <ol>{opened.entries.map((d) => <li><time datetime={d.entry.at.toISOString()} safe>{d.sentence}</time></li>)}</ol>}
      {opened.more ? <p class="note">Seuls les {opened.entries.length} accès les plus récents sont affichés. Votre organisme peut vous donner l’historique complet.</p> : ''}
      <h2>Un accès vous semble anormal ?</h2>
      <p safe>Si vous ne reconnaissez pas un professionnel, un lieu ou une date (par exemple un jour où vous n’avez vu personne), contactez le délégué à la protection des données (DPO) de {insurer} : ses coordonnées figurent sur votre espace adhérent et dans vos documents de contrat. Indiquez-lui la date et le nom affichés ici. Vous pouvez aussi saisir la CNIL (cnil.fr).</p>
      <p class="note">Cette page ne s’ouvre qu’une fois : pour la revoir, repassez par votre espace adhérent. Les heures sont données à l’heure de Paris.</p>
    </Layout>
  );
}

/** A refused link, in words: what happened and what to do. */
export function LinkRefusal({ shell, message }: { shell: Shell; message: string }): JSX.Element {
  return (
    <Layout title="Lien non valable" shell={shell}>
      <h1>Ce lien ne fonctionne plus</h1>
      <p safe>{message}.</p>
      <p>Les liens vers cette page ne servent qu’une fois et quelques minutes : revenez sur votre espace adhérent pour en ouvrir un nouveau.</p>
    </Layout>
  );
}

/**
 * Headers of a page that shows health-related information: never cached, never sent as a
 * referrer (its URL held the token), never framed, nothing loaded from elsewhere.
 */
export const PRIVATE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store, max-age=0',
  pragma: 'no-cache',
  'referrer-policy': 'no-referrer',
  // Stricter than every other page's (src/http/plugins/security-headers.ts): no script at all, no form.
  'content-security-policy': "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};
