import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../access/access-policy.js';
import { administeredSites, type PracticeSite } from '../../access/sites.js';
import type { Database } from '../../db/database.js';
import { todayUtc } from '../../domain/dates.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf, type Shell } from '../shell/shell.js';
import { Field, SiteChoice, StepUpOffer } from './fields.js';

/**
 * A site administrator's page (/structure): the practice software of their sites and its
 * public keys (register, publish new keys, suspend), the delegations of the administration,
 * and a site's bank account (propose, confirm another administrator's change, cancel). A
 * frame: its script (src/web/browser/site-admin.ts) reads and acts through /api/v1/site/…,
 * and offers the passkey step-up when an enrolment asks for a fresh proof.
 */
export function siteAdminRoute(app: FastifyInstance, options: { db: Database; now: () => Date; assets: Assets }): void {
  app.get('/structure', { config: { page: true } }, async (request, reply) => {
    const { professional, adminSites } = contextOf(request, 'professional');
    return reply.header('cache-control', 'no-store').html(
      <SiteAdminPage shell={shellOf(request, options.assets)} sites={await administeredSites(options.db, adminSites)} rpps={professional.rpps} today={todayUtc(options.now())} />,
    );
  });
}

export function SiteAdminPage({ shell, sites, rpps, today }: { shell: Shell; sites: PracticeSite[]; rpps: string; today: string }): JSX.Element {
  return (
    <Layout title="Ma structure" shell={shell} scripts={['site-admin.js']}>
      <h1>Ma structure</h1>
      <p class="note">Enregistrer un logiciel, publier ses clés, déléguer ou changer le compte bancaire demande une confirmation d’identité de moins de cinq minutes, depuis cet appareil : la page vous la proposera.</p>
      <SiteChoice sites={sites} rpps={rpps} />
      <SoftwareSection />
      <DelegationsSection today={today} />
      <BankAccountSection />
    </Layout>
  );
}

function SoftwareSection(): JSX.Element {
  return (
    <section aria-labelledby="clients-title">
      <h2 id="clients-title">Logiciels</h2>
      <table id="clients">
        <caption class="note">Les logiciels de vos structures et les identifiants (kid) de leurs clés publiques</caption>
        <thead>
          <tr><th scope="col">Logiciel</th><th scope="col">Structure</th><th scope="col">Clés</th><th scope="col">État</th><th scope="col">Suspendre</th></tr>
        </thead>
        <tbody><tr><td colspan="5">Chargement…</td></tr></tbody>
      </table>
      <p id="clients-status" class="answer" role="status" aria-live="polite"></p>
      <StepUpOffer id="clients-step-up" />
      <form id="client-register" class="panel" aria-labelledby="register-title">
        <h3 id="register-title">Enregistrer un logiciel pour la structure choisie</h3>
        <div class="fields">
          <Field label="Identifiant (minuscules, chiffres, . _ -)" name="client" placeholder="opticien-poste-1" />
          <Field label="Nom (éditeur, poste…)" name="nom" />
        </div>
        <JwksField />
        <button type="submit">Enregistrer le logiciel</button>
      </form>
      <form id="client-keys" class="panel" aria-labelledby="keys-title">
        <h3 id="keys-title">Publier de nouvelles clés</h3>
        <p class="note">Le nouveau jeu remplace l’ancien : pour changer de clé sans coupure, publiez l’ancienne et la nouvelle, puis la nouvelle seule.</p>
        <div class="fields"><label>Logiciel<select name="client" required></select></label></div>
        <JwksField />
        <button type="submit">Publier les clés</button>
      </form>
    </section>
  );
}

/** The software's public keys as it publishes them: a JWKS, or one JWK. */
function JwksField(): JSX.Element {
  return (
    <label>
      Clés publiques (JWKS, ou une clé JWK, au format JSON)
      <textarea name="jwks" rows="5" required spellcheck="false"></textarea>
    </label>
  );
}

/** `today`: the platform's day, not the browser's, tells a delegation in force from one past its date. */
function DelegationsSection({ today }: { today: string }): JSX.Element {
  return (
    <section aria-labelledby="delegations-title">
      <h2 id="delegations-title">Délégations</h2>
      <table id="delegations" data-today={today}>
        <caption class="note">Les professionnels à qui l’administration d’une structure est confiée, jusqu’à une date</caption>
        <thead><tr><th scope="col">Structure</th><th scope="col">RPPS</th><th scope="col">Jusqu’au</th><th scope="col">État</th></tr></thead>
        <tbody><tr><td colspan="4">Chargement…</td></tr></tbody>
      </table>
      <p id="delegations-status" class="answer" role="status" aria-live="polite"></p>
      <StepUpOffer id="delegations-step-up" />
      <form id="delegate" class="panel" aria-labelledby="delegate-title">
        <h3 id="delegate-title">Déléguer l’administration de la structure choisie</h3>
        <p class="note">À un professionnel qui y exerce, un an au plus ; la délégation cesse d’elle-même à cette date ou s’il n’y exerce plus.</p>
        <div class="fields">
          <Field label="RPPS du délégataire" name="rpps" inputmode="numeric" />
          <Field label="Jusqu’au" name="jusquau" type="date" />
        </div>
        <button type="submit">Déléguer</button>
      </form>
    </section>
  );
}

function BankAccountSection(): JSX.Element {
  return (
    <section aria-labelledby="bank-title">
      <h2 id="bank-title">Compte bancaire de la structure choisie</h2>
      <p class="note">Un changement prend effet une fois confirmé par un autre administrateur de la structure (ou l’opérateur), après un délai ; chacun peut l’annuler d’ici là.</p>
      <div id="bank-account" class="panel"></div>
      <p id="bank-status" class="answer" role="status" aria-live="polite"></p>
      <StepUpOffer id="bank-step-up" />
      <form id="bank-propose" class="panel" aria-labelledby="propose-title">
        <h3 id="propose-title">Proposer un nouveau compte</h3>
        <div class="fields">
          <Field label="IBAN" name="iban" />
          <Field label="BIC" name="bic" />
          <Field label="Titulaire du compte" name="titulaire" />
        </div>
        <button type="submit">Proposer ce compte</button>
      </form>
    </section>
  );
}
