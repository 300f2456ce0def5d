/**
 * A site administrator's page (/structure): the sites' software and keys, the delegations,
 * and the chosen site's bank account, read and changed through /api/v1/site/…; an enrolment
 * refused for want of a fresh proof offers the passkey step-up, then is made again.
 */
import { failure, get, post, put, say } from './api.js';
import { day, el, fillTable, reasonForm, when } from './dom.js';
import { chosenSite, field, onSubmit } from './forms.js';
import { rememberChoice } from './remember.js';
import { stepUpOffer } from './step-up.js';

interface Client { client: string; nom: string; statut: string; structure: { finess: string | null; siret: string | null }; cles: string[] }
interface Delegation { delegation: number; structure: string | null; rpps: string; jusquau: string; revoquee: boolean }
interface Account { version: number; iban: string; bic: string; titulaire: string; proposeLe: string; confirmeLe: string | null; effectifLe: string | null; confirmationParOperateur: boolean }

const WHY = 'Cette action demande une confirmation d’identité de moins de cinq minutes, depuis cet appareil : confirmez avec votre clé d’accès, elle reprendra ensuite.';
const clientsRefused = stepUpOffer('#clients-step-up', '#clients-status');
const delegationsRefused = stepUpOffer('#delegations-step-up', '#delegations-status');
const bankRefused = stepUpOffer('#bank-step-up', '#bank-status');

/** Runs an action, its refusal said where it belongs (with the step-up when a fresh proof lifts it). */
async function attempt(refused: typeof clientsRefused, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    refused(error, () => attempt(refused, action), WHY);
  }
}

/** The keys as the software publishes them: a JWKS, or one JWK put in one. Refused here in French rather than by the API's schema. */
function publicKeys(text: string): { keys: unknown[] } {
  const invalid = new Error('Clés publiques illisibles : collez le JWKS publié par le logiciel (un objet JSON avec « keys »), ou une seule clé JWK (avec « kty »).');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid;
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid;
  if (Array.isArray((parsed as { keys?: unknown }).keys)) return parsed as { keys: unknown[] };
  if ('kty' in parsed) return { keys: [parsed] };
  throw invalid;
}

const softwareStates: Readonly<Record<string, string>> = { active: 'actif', suspended: 'suspendu' };

function clientRow(client: Client): HTMLTableRowElement {
  const suspend = client.statut === 'active'
    ? reasonForm('Suspendre', (motif) => void attempt(clientsRefused, async () => {
      await post(`/api/v1/site/clients/${encodeURIComponent(client.client)}/suspend`, { motif });
      await loadClients();
      say('#clients-status', `Logiciel ${client.client} suspendu : ses jetons en cours ne servent plus.`);
    }))
    : '—';
  return el('tr', {},
    el('td', {}, `${client.nom} (${client.client})`), el('td', {}, client.structure.finess ?? client.structure.siret ?? ''),
    el('td', {}, client.cles.join(', ')), el('td', {}, softwareStates[client.statut] ?? client.statut), el('td', {}, suspend),
  );
}

async function loadClients(): Promise<void> {
  const clients = await get<Client[]>('/api/v1/site/clients');
  fillTable('#clients', clients.map(clientRow), 'Aucun logiciel enregistré.');
  document.querySelector('#client-keys select[name=client]')?.replaceChildren(...clients.map((c) => el('option', { value: c.client }, `${c.nom} (${c.client})`)));
}

onSubmit('#client-register', (form) => attempt(clientsRefused, async () => {
  const client = field(form, 'client');
  await post('/api/v1/site/clients', { client, nom: field(form, 'nom'), structure: chosenSite(), jwks: publicKeys(jwksText(form)) });
  form.reset();
  await loadClients();
  say('#clients-status', `Logiciel ${client} enregistré : il peut demander ses jetons.`);
}));

onSubmit('#client-keys', (form) => attempt(clientsRefused, async () => {
  const client = field(form, 'client');
  const done = await put<{ cles: number }>(`/api/v1/site/clients/${encodeURIComponent(client)}/keys`, { jwks: publicKeys(jwksText(form)) });
  form.reset();
  await loadClients();
  say('#clients-status', `Logiciel ${client} : ${String(done.cles)} clé(s) publiée(s), les précédentes ne servent plus.`);
}));

function jwksText(form: HTMLFormElement): string {
  return form.querySelector<HTMLTextAreaElement>('textarea[name=jwks]')?.value ?? '';
}

/** The platform's day (the page's), against which a delegation is in force or past. */
const today = document.querySelector<HTMLElement>('#delegations')?.dataset.today ?? '';

function delegationState(delegation: Delegation): Node | string {
  if (delegation.revoquee) return 'révoquée';
  if (delegation.jusquau < today) return 'échue';
  const button = el('button', { type: 'button', class: 'quiet', 'aria-label': `Révoquer la délégation à ${delegation.rpps}` }, 'Révoquer');
  button.addEventListener('click', () => void attempt(delegationsRefused, async () => {
    await post(`/api/v1/site/delegations/${String(delegation.delegation)}/revoke`);
    await loadDelegations();
    say('#delegations-status', `Délégation à ${delegation.rpps} révoquée.`);
  }));
  return el('span', {}, 'en cours ', button);
}

async function loadDelegations(): Promise<void> {
  const delegations = await get<Delegation[]>('/api/v1/site/delegations');
  fillTable('#delegations', delegations.map((d) => el('tr', {}, el('td', {}, d.structure ?? ''), el('td', {}, d.rpps), el('td', {}, day(d.jusquau)), el('td', {}, delegationState(d)))), 'Aucune délégation.');
}

onSubmit('#delegate', (form) => attempt(delegationsRefused, async () => {
  const done = await post<{ jusquau: string }>('/api/v1/site/delegations', { structure: chosenSite(), rpps: field(form, 'rpps'), jusquau: field(form, 'jusquau') });
  form.reset();
  await loadDelegations();
  say('#delegations-status', `Délégation donnée jusqu’au ${day(done.jusquau)}.`);
}));

const accountWords = (account: Account): string => `IBAN ${account.iban}, BIC ${account.bic}, au nom de ${account.titulaire}`;

function pendingChange(change: Account): HTMLElement {
  const confirm = el('button', { type: 'button' }, 'Confirmer ce changement');
  const cancel = el('button', { type: 'button', class: 'quiet' }, 'Annuler ce changement');
  confirm.addEventListener('click', () => void attempt(bankRefused, async () => {
    const done = await post<{ effectifLe: string }>('/api/v1/site/bank-account/pending/confirm', { structure: chosenSite() });
    await loadAccount();
    say('#bank-status', `Changement confirmé : il prendra effet le ${when(done.effectifLe)}.`);
  }));
  cancel.addEventListener('click', () => void attempt(bankRefused, async () => {
    await post('/api/v1/site/bank-account/pending/cancel', { structure: chosenSite() });
    await loadAccount();
    say('#bank-status', 'Changement annulé : le compte en vigueur reste le même.');
  }));
  const state = change.confirmeLe === null
    ? (change.confirmationParOperateur ? 'proposé depuis un appareil et un réseau nouveaux : seul l’opérateur peut le confirmer.' : 'à confirmer par un autre administrateur de la structure.')
    : `confirmé le ${when(change.confirmeLe)}, effectif le ${when(change.effectifLe ?? change.confirmeLe)}.`;
  const actions = el('p', { class: 'actions' }, ...(change.confirmeLe === null && !change.confirmationParOperateur ? [confirm] : []), cancel);
  return el('div', {}, el('p', {}, `Changement proposé le ${when(change.proposeLe)} : ${accountWords(change)} — ${state}`), actions);
}

async function loadAccount(): Promise<void> {
  const { enVigueur, changement } = await get<{ enVigueur: Account | null; changement: Account | null }>(`/api/v1/site/bank-account?structure=${encodeURIComponent(chosenSite())}`);
  const current = enVigueur
    ? `Compte en vigueur : ${accountWords(enVigueur)}${enVigueur.effectifLe ? `, depuis le ${when(enVigueur.effectifLe)}` : ''}.`
    : 'Aucun compte en vigueur : les paiements de la structure sont retenus jusqu’à ce qu’un compte soit confirmé.';
  document.querySelector('#bank-account')?.replaceChildren(el('p', {}, current), ...(changement ? [pendingChange(changement)] : []));
}

onSubmit('#bank-propose', (form) => attempt(bankRefused, async () => {
  const made = await post<{ confirmationParOperateur: boolean }>('/api/v1/site/bank-account', { structure: chosenSite(), iban: field(form, 'iban'), bic: field(form, 'bic'), titulaire: field(form, 'titulaire') });
  form.reset();
  await loadAccount();
  say('#bank-status', made.confirmationParOperateur ? 'Compte proposé : l’opérateur seul le confirmera.' : 'Compte proposé : un autre administrateur de la structure doit le confirmer.');
}));

rememberChoice('select[name=structure]');
document.querySelector('select[name=structure]')?.addEventListener('change', () => {
  loadAccount().catch((error: unknown) => say('#bank-status', failure(error)));
});
loadClients().catch((error: unknown) => say('#clients-status', `${failure(error)} Rechargez la page.`));
loadDelegations().catch((error: unknown) => say('#delegations-status', `${failure(error)} Rechargez la page.`));
loadAccount().catch((error: unknown) => say('#bank-status', `${failure(error)} Rechargez la page.`));
