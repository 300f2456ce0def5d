import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../access/access-policy.js';
import { practitionerOn, type PracticeSite } from '../../access/sites.js';
import type { Database } from '../../db/database.js';
import type { CareDomain } from '../../domain/coverage/care-domain.js';
import { todayUtc } from '../../domain/dates.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf, type Shell } from '../shell/shell.js';
import { lineDefaults, professionDomains, type LineDefaults } from './care-defaults.js';
import { ActLists, actListId, DeviceSelect, DomainSelect } from './care-codes.js';
import { Field, SiteChoice } from './fields.js';
import { RightsForm } from './rights-form.js';

/**
 * A professional's care page: check a patient's rights from their cards, then compute the
 * AMC part of a line under the engagement. Both go through the JSON API (src/web/browser/care.ts).
 */
export function careRoute(app: FastifyInstance, options: { db: Database; now: () => Date; assets: Assets }): void {
  app.get('/soins', { config: { page: true } }, async (request, reply) => {
    const { professional } = contextOf(request, 'professional');
    const today = todayUtc(options.now());
    const practitioner = await practitionerOn(options.db, professional.id, today);
    return reply.header('cache-control', 'no-store').html(
      <CarePage shell={shellOf(request, options.assets)} sites={practitioner.sites} rpps={professional.rpps} today={today} line={lineDefaults(practitioner.professionCode)}
        domains={professionDomains(practitioner.professionCode)} />,
    );
  });
}

interface CareProps { shell: Shell; sites: PracticeSite[]; rpps: string; today: string; line: LineDefaults; domains: readonly CareDomain[] }

export function CarePage(props: CareProps): JSX.Element {
  return (
    <Layout title="Droits et calcul" shell={props.shell} scripts={['care.js']}>
      <h1>Droits et calcul</h1>
      <SiteChoice sites={props.sites} rpps={props.rpps} />
      <RightsForm today={props.today} />
      <CalculationForm line={props.line} domains={props.domains} />
      <InvoiceSending />
      <p class="note">Chaque consultation est inscrite au journal d’accès, consultable par la personne concernée.</p>
    </Layout>
  );
}

function CalculationForm({ line, domains }: { line: LineDefaults; domains: readonly CareDomain[] }): JSX.Element {
  return (
    <form id="calculation" class="panel" aria-labelledby="calculation-title">
      <h2 id="calculation-title">Calcul de la part complémentaire</h2>
      <div class="fields">
        <Field label="Engagement" name="engagement" id="engagement" />
        <DomainSelect own={domains} chosen={line.domaine} />
        <Field label="Acte" name="acte" value={line.acte} list={actListId(line.domaine)} />
        <Field label="Quantité" name="quantite" value="1" inputmode="numeric" />
        <Field label="Prix (€)" name="prix" value={line.prix} inputmode="decimal" />
        <Field label="Base de remboursement (€)" name="base" value={line.base} inputmode="decimal" />
        <Field label="Taux AMO (%)" name="tauxAmo" value={line.tauxAmo} inputmode="numeric" />
        <Field label="Participation forfaitaire (€)" name="pf" value={line.pf} inputmode="decimal" />
        <DeviceSelect />
      </div>
      <label class="check"><input type="checkbox" name="optam" /> Médecin adhérent OPTAM ou OPTAM-CO</label>
      <p><button type="submit">Calculer</button></p>
      <div id="calculation-answer" class="answer" role="status" aria-live="polite"></div>
      <ActLists />
    </form>
  );
}

/** Sending the last calculation as an invoice: offered once a line is calculated (src/web/browser/care.ts), its decision shown below. */
function InvoiceSending(): JSX.Element {
  return (
    <section class="panel" aria-labelledby="invoice-title">
      <h2 id="invoice-title">Facturation</h2>
      <p class="note">La facture reprend la ligne calculée, sous l’engagement et à la date des soins ci-dessus ; sa part complémentaire demandée est celle du calcul.</p>
      <form id="invoice" hidden>
        <button type="submit">Envoyer la facture</button>
      </form>
      <div id="invoice-answer" class="answer" role="status" aria-live="polite"></div>
    </section>
  );
}
