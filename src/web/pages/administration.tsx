import type { FastifyInstance } from 'fastify';
import { staffRoles } from '../../access/staff.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf } from '../shell/shell.js';
import { Field, StepUpOffer } from './fields.js';

/** The staff roles in the administrators' words. */
export const staffRoleLabels: Readonly<Record<(typeof staffRoles)[number], string>> = {
  insurer_agent: 'Agent d’organisme',
  security_officer: 'Responsable de la sécurité',
  operator_admin: 'Administrateur de l’opérateur',
};

/**
 * The operator's administration (/administration): the platform's state, the bank-account
 * changes waiting for the operator, the insurers, and the staff accounts (created with a
 * fresh proof of presence). A frame: src/web/browser/administration.ts reads and writes
 * through the admin API (/api/v1/admin/…).
 */
export function administrationRoute(app: FastifyInstance, options: { assets: Assets }): void {
  app.get('/administration', { config: { page: true } }, (request, reply) =>
    reply.header('cache-control', 'no-store').html(
      <Layout title="Administration" shell={shellOf(request, options.assets)} scripts={['administration.js']}>
        <h1>Administration de la plateforme</h1>
        {/* Near the top: what an action below did, or the step-up it waits for, is seen without scrolling. */}
        <p id="admin-status" class="answer" role="status"></p>
        <StepUpOffer id="step-up-offer" />
        <section class="panel" aria-labelledby="health-title">
          <h2 id="health-title">État de la plateforme</h2>
          <dl id="health" class="facts"><dt>État</dt><dd>Chargement…</dd></dl>
        </section>
        <BankChanges />
        <Reconciliation />
        <section aria-labelledby="insurers-title">
          <h2 id="insurers-title">Organismes</h2>
          <table id="insurers">
            <caption class="note">Les organismes complémentaires servis, leurs agents et l’arrivée de leurs fichiers.</caption>
            <thead><tr><th scope="col">Numéro AMC</th><th scope="col">Nom</th><th scope="col">Nature</th><th scope="col">Agents</th><th scope="col">Fichiers chargés</th><th scope="col">Dernier chargement</th><th scope="col">Rejets du dernier</th></tr></thead>
            <tbody></tbody>
          </table>
        </section>
        <Staff />
      </Layout>,
    ),
  );
}

function BankChanges(): JSX.Element {
  return (
    <section aria-labelledby="bank-title">
      <h2 id="bank-title">Changements de compte bancaire à confirmer</h2>
      <p class="note">Vérifiez chaque changement avec la structure, par un moyen connu d’avance (pas celui indiqué dans la demande), avant de le confirmer. Ceux proposés depuis un appareil ou un réseau nouveau n’attendent que vous.</p>
      <table id="bank-changes">
        <thead><tr><th scope="col">Proposé le</th><th scope="col">Structure</th><th scope="col">Par</th><th scope="col">Nouveau compte</th><th scope="col">Qui confirme</th><th scope="col">Action</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
  );
}

/** The bank's statements imported by hand (the CLI does the same: `rempart payments reconcile`), and what they left to look at. */
function Reconciliation(): JSX.Element {
  return (
    <section aria-labelledby="reconciliation-title">
      <h2 id="reconciliation-title">Rapprochement bancaire</h2>
      <form id="statement" class="panel" aria-labelledby="statement-title">
        <h3 id="statement-title">Importer un relevé de la banque</h3>
        <p class="note">Un camt.054 (avis de débit) ou camt.053 (relevé de compte), version .001.08. Chaque virement débité est confirmé ; un virement rejeté remet ses factures au paiement et bloque le compte de la structure jusqu’à un nouveau compte confirmé. Un relevé déjà importé est refusé.</p>
        <div class="fields">
          <label><span>Fichier du relevé (XML)</span><input name="releve" type="file" accept=".xml,application/xml,text/xml" required /></label>
        </div>
        <button type="submit">Importer</button>
      </form>
      <table id="exceptions">
        <caption class="note">Les mouvements que la plateforme n’a pas appliqués, les plus récents d’abord : à régler avec la banque ou la structure.</caption>
        <thead><tr><th scope="col">Importé le</th><th scope="col">Relevé</th><th scope="col">Mouvement</th><th scope="col">Motif</th><th scope="col">Référence</th><th scope="col" class="n">Montant</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
  );
}

function Staff(): JSX.Element {
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">Comptes du personnel</h2>
      <table id="staff">
        <thead><tr><th scope="col">Identifiant</th><th scope="col">Nom</th><th scope="col">Rôle</th><th scope="col">Organisme</th><th scope="col">État</th></tr></thead>
        <tbody></tbody>
      </table>
      <form id="staff-create" class="panel" aria-labelledby="staff-create-title">
        <h3 id="staff-create-title">Créer un compte</h3>
        <p class="note">La personne se connectera par le fournisseur d’identité avec cet identifiant, puis enregistrera sa clé d’accès. Créer un compte demande une confirmation d’identité récente.</p>
        <div class="fields">
          <Field label="Identifiant chez le fournisseur d’identité" name="sujet" />
          <Field label="Nom" name="nom" />
          <label><span>Rôle</span>
            <select name="role">{staffRoles.map((role) => <option value={role} safe>{staffRoleLabels[role]}</option>)}</select>
          </label>
          <label><span>Numéro AMC (agent d’organisme seulement)</span><input name="organisme" inputmode="numeric" pattern="[0-9]{8,10}" /></label>
        </div>
        <button type="submit">Créer le compte</button>
      </form>
    </section>
  );
}
