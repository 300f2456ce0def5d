import { escapeHtml, page, PAGE_STYLE_SOURCE } from '../http/html.js';
import type { OpenedLink } from './transparency.js';

/** The history as the insured person reads it: one plain sentence per access, newest first. */
export function renderHistoryPage(opened: OpenedLink): string {
  const insurer = escapeHtml(opened.insurerName);
  const items = opened.entries.map((d) => `<li><time datetime="${escapeHtml(d.entry.at.toISOString())}">${escapeHtml(d.sentence)}</time></li>`).join('\n');
  const list = items === '' ? '<p>Aucun professionnel de santé n’a consulté vos droits par la plateforme Rempart.</p>' : `<ol>\n${items}\n</ol>`;
  const more = opened.more ? `<p class="note">Seuls les ${opened.entries.length} accès les plus récents sont affichés. Votre organisme peut vous donner l’historique complet.</p>\n` : '';
  return page(
    'Qui a consulté mes droits',
    `<h1>Qui a consulté vos droits</h1>
<p>Quand un pharmacien, un médecin, un opticien ou un autre professionnel de santé vérifie vos droits auprès de ${insurer}, ou calcule ce que votre complémentaire vous rembourse, la plateforme Rempart l’inscrit dans un journal. Voici ce journal, du plus récent au plus ancien.</p>
${list}
${more}<h2>Un accès vous semble anormal ?</h2>
<p>Si vous ne reconnaissez pas un professionnel, un lieu ou une date (par exemple un jour où vous n’avez vu personne), contactez le délégué à la protection des données (DPO) de ${insurer} : ses coordonnées figurent sur votre espace adhérent et dans vos documents de contrat. Indiquez-lui la date et le nom affichés ici. Vous pouvez aussi saisir la CNIL (cnil.fr).</p>
<p class="note">Cette page ne s’ouvre qu’une fois : pour la revoir, repassez par votre espace adhérent. Les heures sont données à l’heure de Paris.</p>`,
  );
}

/** A refused link, in words: what happened and what to do. */
export function renderLinkRefusal(message: string): string {
  return page('Lien non valable', `<h1>Ce lien ne fonctionne plus</h1>\n<p>${escapeHtml(message)}.</p>\n<p>Les liens vers cette page ne servent qu’une fois et quelques minutes : revenez sur votre espace adhérent pour en ouvrir un nouveau.</p>`);
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
  'content-security-policy': `default-src 'none'; style-src ${PAGE_STYLE_SOURCE}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};
