import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../access/access-policy.js';
import { practitionerOn, type PracticeSite } from '../../access/sites.js';
import type { Database } from '../../db/database.js';
import type { CareDomain } from '../../domain/coverage/care-domain.js';
import { todayUtc } from '../../domain/dates.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf, type Shell } from '../shell/shell.js';
import { professionDomains, quoteDefaults, type QuoteDefaults, type QuoteLineDefaults } from './care-defaults.js';
import { ActLists, actListId, DeviceSelect, DomainSelect } from './care-codes.js';
import { Field, SiteChoice } from './fields.js';
import { RightsForm } from './rights-form.js';

/**
 * A professional's prior agreements (/accords): the patient's rights, then a quote of the
 * equipment their profession sells (an optician's frame and two lenses, a dentist's
 * prosthesis) sent as a request for agreement; the agreement seen and cancelled. All through
 * the JSON API the practice software uses (src/web/browser/agreements.ts).
 */
export function agreementsRoute(app: FastifyInstance, options: { db: Database; now: () => Date; assets: Assets }): void {
  app.get('/accords', { config: { page: true } }, async (request, reply) => {
    const { professional } = contextOf(request, 'professional');
    const today = todayUtc(options.now());
    const practitioner = await practitionerOn(options.db, professional.id, today);
    return reply.header('cache-control', 'no-store').html(
      <AgreementsPage shell={shellOf(request, options.assets)} sites={practitioner.sites} rpps={professional.rpps} today={today}
        quote={quoteDefaults(practitioner.professionCode)} domains={professionDomains(practitioner.professionCode)} />,
    );
  });
}

interface AgreementsProps { shell: Shell; sites: PracticeSite[]; rpps: string; today: string; quote: QuoteDefaults; domains: readonly CareDomain[] }

export function AgreementsPage(props: AgreementsProps): JSX.Element {
  return (
    <Layout title="Accords préalables" shell={props.shell} scripts={['agreements.js']}>
      <h1>Accords préalables</h1>
      <SiteChoice sites={props.sites} rpps={props.rpps} />
      <RightsForm today={props.today} />
      <QuoteForm quote={props.quote} domains={props.domains} today={props.today} />
      <AgreementShown />
      <form id="lookup" class="panel" aria-labelledby="lookup-title">
        <h2 id="lookup-title">Retrouver un accord</h2>
        <div class="fields"><Field label="Numéro de l’accord" name="numero" placeholder="P…" /></div>
        <button type="submit" class="quiet">Afficher l’accord</button>
      </form>
      <p class="note">Chaque demande et chaque consultation sont inscrites au journal d’accès, consultable par la personne concernée.</p>
    </Layout>
  );
}

function QuoteForm({ quote, domains, today }: { quote: QuoteDefaults; domains: readonly CareDomain[]; today: string }): JSX.Element {
  return (
    <form id="quote" class="panel" aria-labelledby="quote-title">
      <h2 id="quote-title">Devis et demande d’accord</h2>
      <p class="note">Un devis porte sur un seul domaine (optique, audioprothèse, prothèse dentaire). Montants en euros, par unité.</p>
      <div class="fields">
        <Field label="Engagement" name="engagement" id="engagement" />
        <DomainSelect own={domains} chosen={quote.domaine} />
        <Field label="Date prévue des soins" name="dateSoins" type="date" value={today} />
        <Field label="Date de l’ordonnance (facultatif)" name="datePrescription" type="date" optional />
      </div>
      <div id="quote-lines">
        {quote.lignes.map((line, index) => <QuoteLine line={line} index={index} domain={quote.domaine} />)}
      </div>
      <p class="actions">
        <button type="button" id="line-add" class="quiet">Ajouter une ligne</button>
        <button type="button" id="line-remove" class="quiet">Retirer la dernière ligne</button>
      </p>
      <p><button type="submit">Demander l’accord</button></p>
      <ActLists />
    </form>
  );
}

/** One line of the quote, a fieldset named by what it sells; the script adds copies of the last one. */
function QuoteLine({ line, index, domain }: { line: QuoteLineDefaults; index: number; domain: string }): JSX.Element {
  return (
    <fieldset class="quote-line">
      <legend safe>{`Ligne ${index + 1} : ${line.libelle}`}</legend>
      <div class="fields">
        <Field label="Acte" name="acte" value={line.acte} list={actListId(domain)} />
        <Field label="Quantité" name="quantite" value="1" inputmode="numeric" />
        <Field label="Prix (€)" name="prix" value={line.prix} inputmode="decimal" />
        <Field label="Base de remboursement (€)" name="base" value={line.base} inputmode="decimal" />
        <Field label="Taux AMO (%)" name="tauxAmo" value={line.tauxAmo} inputmode="numeric" />
        <DeviceSelect chosen={line.dispositif} />
        <label>
          Œil ou oreille
          <select name="cote">
            {[['', '—'], ['D', 'Droit'], ['G', 'Gauche']].map(([value = '', label = '']) => <option value={value} selected={value === line.cote} safe>{label}</option>)}
          </select>
        </label>
      </div>
    </fieldset>
  );
}

/** The agreement asked for or found, written by the script; its cancellation offered while it holds. */
function AgreementShown(): JSX.Element {
  return (
    <section class="panel" aria-labelledby="agreement-title">
      <h2 id="agreement-title">Accord</h2>
      <div id="agreement-answer" class="answer" role="status" aria-live="polite"></div>
      <table id="agreement-lines" hidden>
        <caption class="note">Ce que chaque ligne du devis obtient, et la règle appliquée</caption>
        <thead>
          <tr><th scope="col">Acte</th><th scope="col" class="n">Prix</th><th scope="col" class="n">Demandé</th><th scope="col" class="n">Accordé</th><th scope="col">Règle</th></tr>
        </thead>
        <tbody></tbody>
      </table>
      <p><button type="button" id="agreement-cancel" class="quiet" hidden>Annuler cet accord</button></p>
    </section>
  );
}
