/**
 * The operator's administration (/administration): the platform's state, the bank-account
 * changes to confirm, the bank's statements and their exceptions, the insurers and the staff
 * accounts, all through the API; the confirmation, the import and the account creation ask for a fresh step-up when the API wants one.
 */
import { failure, get, post, say } from './api.js';
import { el, fillTable, num, row, when } from './dom.js';
import { euros, field, onSubmit } from './forms.js';
import { stepUpOffer } from './step-up.js';

interface Health {
  base: string;
  le: string;
  journal: { enregistrements: number; signeLe: string } | null;
  alertesOuvertes: { plateforme: number; compte: number };
  dernierePaie: { date: string; virements: number; factures: number; montant: number; enregistreeLe: string } | null;
  changementsBancairesEnAttente: number;
}
interface BankChange { site: number; structure: string; nom: string; proposePar: string; proposeLe: string; iban: string; bic: string; titulaire: string; confirmationParOperateur: boolean }
interface Insurer { amc: string; nom: string; nature: string; agents: number; chargements: { fichiers: number; dernierLe: string | null; dernierRejets: number | null } }
interface Imported { fichier: string; version: string; mouvements: number; regles: number; rejetes: number; facturesRouvertes: number; exceptions: number }
interface StatementException { releve: string; importeLe: string; mouvement: string; libelle: string; motifRetour: string | null; reference: string | null; montant: number }
interface StaffMember { sujet: string; nom: string; role: string; organisme: string | null; suspendu: boolean }

const natures: Record<string, string> = { mutuelle: 'Mutuelle', assureur: 'Assureur', institution_prevoyance: 'Institution de prévoyance' };
const engines: Record<string, string> = { pglite: 'PostgreSQL embarqué (PGlite)', postgres: 'Serveur PostgreSQL' };

/** The roles' labels, as the creation form's list says them (the page has them from the server). */
const roleLabel = (role: string): string =>
  document.querySelector<HTMLOptionElement>(`#staff-create select[name=role] option[value="${CSS.escape(role)}"]`)?.textContent ?? role;

/** Confirming an account and creating one are enrolments: refused for want of a fresh proof, they offer the step-up and run again. */
const refused = stepUpOffer('#step-up-offer', '#admin-status');
const WHY = 'Cette action demande une confirmation d’identité de moins de cinq minutes, donnée d’ici : confirmez avec votre clé d’accès, l’action reprendra ensuite.';

async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    refused(error, () => guarded(action), WHY);
  }
}

function fact(term: string, value: string): HTMLElement[] {
  return [el('dt', {}, term), el('dd', {}, value)];
}

async function loadHealth(): Promise<void> {
  const health = await get<Health>('/api/v1/admin/health');
  const run = health.dernierePaie;
  document.querySelector('#health')?.replaceChildren(
    ...fact('Base de données', `${engines[health.base] ?? health.base} : répond (${when(health.le)})`),
    ...fact('Journal des accès', health.journal ? `${health.journal.enregistrements} enregistrements scellés, dernier point signé ${when(health.journal.signeLe)}` : 'Aucun point de contrôle signé pour l’instant'),
    ...fact('Alertes ouvertes', `${health.alertesOuvertes.plateforme} de plateforme, ${health.alertesOuvertes.compte} de compte`),
    ...fact('Dernière paie', run ? `${run.date.split('-').reverse().join('/')} : ${run.virements} virements, ${run.factures} factures, ${euros(run.montant)}` : 'Aucune paie pour l’instant'),
    ...fact('Comptes bancaires à confirmer', String(health.changementsBancairesEnAttente)),
  );
}

function confirmButton(change: BankChange): HTMLButtonElement {
  const button = el('button', { type: 'button' }, 'Confirmer');
  button.addEventListener('click', () => void guarded(async () => {
    const done = await post<{ effectifLe: string }>(`/api/v1/admin/sites/${change.site}/bank-account/confirm`);
    await refresh();
    say('#admin-status', `Compte de ${change.nom} confirmé : il prendra effet le ${when(done.effectifLe)}.`);
  }));
  return button;
}

async function loadBankChanges(): Promise<void> {
  const changes = await get<BankChange[]>('/api/v1/admin/bank-account-changes');
  fillTable('#bank-changes', changes.map((change) => row(
    when(change.proposeLe), `${change.nom} (${change.structure})`, change.proposePar, `${change.titulaire}, ${change.iban}, ${change.bic}`,
    change.confirmationParOperateur ? 'L’opérateur seul (appareil ou réseau nouveau)' : 'Un autre administrateur de la structure, ou l’opérateur', confirmButton(change),
  )), 'Aucun changement en attente.');
}

async function loadExceptions(): Promise<void> {
  const exceptions = await get<StatementException[]>('/api/v1/payments/exceptions');
  fillTable('#exceptions', exceptions.map((e) => row(
    when(e.importeLe), e.releve, e.mouvement, e.motifRetour ? `${e.libelle} (${e.motifRetour})` : e.libelle, e.reference ?? '—', num(euros(e.montant)),
  )), 'Aucune exception.');
}

async function loadInsurers(): Promise<void> {
  const insurers = await get<Insurer[]>('/api/v1/admin/insurers');
  fillTable('#insurers', insurers.map((insurer) => row(
    insurer.amc, insurer.nom, natures[insurer.nature] ?? insurer.nature, String(insurer.agents), String(insurer.chargements.fichiers),
    insurer.chargements.dernierLe ? when(insurer.chargements.dernierLe) : 'jamais', insurer.chargements.dernierRejets === null ? '—' : String(insurer.chargements.dernierRejets),
  )), 'Aucun organisme.');
}

async function loadStaff(): Promise<void> {
  const staff = await get<StaffMember[]>('/api/v1/admin/staff');
  fillTable('#staff', staff.map((member) => row(member.sujet, member.nom, roleLabel(member.role), member.organisme ?? '—', member.suspendu ? 'suspendu' : 'actif')), 'Aucun compte.');
}

async function refresh(): Promise<void> {
  await Promise.all([loadHealth(), loadBankChanges(), loadExceptions(), loadInsurers(), loadStaff()]);
}

onSubmit('#statement', (form) => guarded(async () => {
  const file = form.querySelector<HTMLInputElement>('input[name=releve]')?.files?.[0];
  if (!file) return;
  const done = await post<Imported>('/api/v1/payments/statements', { camt: await file.text() });
  form.reset();
  say('#admin-status', `Relevé ${done.fichier} (${done.version}) importé : ${done.mouvements} mouvement(s), ${done.regles} virement(s) débité(s), ${done.rejetes} rejeté(s) ` +
    `(${done.facturesRouvertes} facture(s) à payer de nouveau), ${done.exceptions} exception(s).`);
  await refresh();
}));

onSubmit('#staff-create', (form) => guarded(async () => {
  const organisme = field(form, 'organisme');
  const created = await post<{ sujet: string }>('/api/v1/admin/staff', {
    sujet: field(form, 'sujet'), nom: field(form, 'nom'), role: field(form, 'role'), ...(organisme === '' ? {} : { organisme }),
  });
  form.reset();
  await loadStaff();
  say('#admin-status', `Compte ${created.sujet} créé : la personne peut se connecter et enregistrer sa clé d’accès.`);
}));

refresh().catch((error: unknown) => say('#admin-status', `${failure(error)} Rechargez la page ; si cela dure, la plateforme ne répond pas.`));
