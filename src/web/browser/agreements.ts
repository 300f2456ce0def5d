/**
 * The prior agreements page (/accords): the rights check, the quote sent as a request for
 * agreement (POST /api/v1/prior-agreements), an agreement read back by its number and
 * cancelled; all through the JSON API, every value written as text.
 */
import { failure, get, post, show } from './api.js';
import { day, el, fillTable } from './dom.js';
import { cents, chosenSite, euros, field, onSubmit } from './forms.js';
import { rememberChoice } from './remember.js';
import { checkRightsOnSubmit } from './rights.js';

interface Agreement {
  numero: string;
  statut: string;
  dateSoins: string;
  finValidite: string;
  toleranceFacturation: number;
  demande: number;
  accorde: number;
  lignes: { acte: string; prix: number; demande: number; accorde: number; libelle: string }[];
}

const statuses: Readonly<Record<string, string>> = {
  accorde: 'accordé', partiel: 'accordé en partie', refuse: 'refusé', annule: 'annulé', expire: 'expiré', facture: 'facturé',
};
/** Only an agreement still holding its reservation can be cancelled. */
const HOLDING = ['accorde', 'partiel'];

const lines = (): HTMLFieldSetElement[] => [...document.querySelectorAll<HTMLFieldSetElement>('#quote-lines fieldset')];
const cancelButton = document.querySelector<HTMLButtonElement>('#agreement-cancel');

rememberChoice('select[name=structure]');
checkRightsOnSubmit();

/** The act fields suggest the chosen domain's common codes, as on /soins. */
const domainSelect = document.querySelector<HTMLSelectElement>('#quote select[name=domaine]');
domainSelect?.addEventListener('change', () => {
  for (const input of document.querySelectorAll('#quote-lines input[name=acte]')) input.setAttribute('list', `actes-${domainSelect.value}`);
});

/** A new line: a copy of the last one, under its own number. */
document.querySelector('#line-add')?.addEventListener('click', () => {
  const last = lines().at(-1);
  if (!last) return;
  const copy = last.cloneNode(true) as HTMLFieldSetElement;
  const legend = copy.querySelector('legend');
  if (legend) legend.textContent = `Ligne ${String(lines().length + 1)}`;
  last.after(copy);
  copy.querySelector('input')?.focus();
});

document.querySelector('#line-remove')?.addEventListener('click', () => {
  const all = lines();
  // A quote keeps at least one line.
  if (all.length > 1) all.at(-1)?.remove();
});

/** A fieldset's line as the API takes it: amounts in cents; the device, the side and the prescription only when given. */
function quoteLine(fieldset: HTMLFieldSetElement, domaine: string, prescription: string): Record<string, unknown> {
  const value = (name: string): string => fieldset.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${name}]`)?.value ?? '';
  return {
    acte: value('acte'), domaine, quantite: Number(value('quantite')), prix: cents(value('prix')), base: cents(value('base')), tauxAmo: Number(value('tauxAmo')),
    ...(value('dispositif') ? { dispositif: value('dispositif') } : {}),
    ...(value('cote') ? { cote: value('cote') } : {}),
    ...(prescription ? { datePrescription: prescription } : {}),
  };
}

/** The agreement on screen, for its cancellation. */
let shown: Agreement | undefined;

function showAgreement(agreement: Agreement): void {
  shown = agreement;
  show('#agreement-answer', [
    `Accord ${agreement.numero} : ${statuses[agreement.statut] ?? agreement.statut}.`,
    `Accordé : ${euros(agreement.accorde)} sur ${euros(agreement.demande)} demandés (prix moins la part de l’assurance maladie obligatoire).`,
    `Soins prévus le ${day(agreement.dateSoins)} ; accord valable jusqu’au ${day(agreement.finValidite)}.`,
    agreement.toleranceFacturation > 0
      ? `La facture peut dépasser le montant accordé de ${euros(agreement.toleranceFacturation)} au plus.`
      : 'Le montant accordé est un maximum : reportez le numéro de l’accord sur la facture.',
  ]);
  const table = document.querySelector<HTMLTableElement>('#agreement-lines');
  if (table) table.hidden = false;
  fillTable('#agreement-lines', agreement.lignes.map((line) => el('tr', {},
    el('td', {}, line.acte), el('td', { class: 'n' }, euros(line.prix)), el('td', { class: 'n' }, euros(line.demande)), el('td', { class: 'n' }, euros(line.accorde)), el('td', {}, line.libelle),
  )), 'Aucune ligne.');
  if (cancelButton) cancelButton.hidden = !HOLDING.includes(agreement.statut);
}

onSubmit('#quote', async (form) => {
  const domaine = field(form, 'domaine');
  const prescription = field(form, 'datePrescription');
  try {
    showAgreement(await post<Agreement>('/api/v1/prior-agreements', {
      structure: chosenSite(), engagement: field(form, 'engagement'), dateSoins: field(form, 'dateSoins'), lignes: lines().map((line) => quoteLine(line, domaine, prescription)),
    }));
  } catch (error) {
    show('#agreement-answer', [failure(error)]);
  }
});

const site = (): string => `structure=${encodeURIComponent(chosenSite())}`;

onSubmit('#lookup', async (form) => {
  try {
    showAgreement(await get<Agreement>(`/api/v1/prior-agreements/${encodeURIComponent(field(form, 'numero').trim())}?${site()}`));
  } catch (error) {
    show('#agreement-answer', [`${failure(error)} Vérifiez le numéro et la structure choisie : un accord ne se lit que par la structure qui l’a demandé.`]);
  }
});

cancelButton?.addEventListener('click', () => {
  const agreement = shown;
  if (!agreement) return;
  (async () => {
    await post(`/api/v1/prior-agreements/${encodeURIComponent(agreement.numero)}/cancel?${site()}`);
    // Read back: the page shows the agreement as the platform now holds it.
    showAgreement(await get<Agreement>(`/api/v1/prior-agreements/${encodeURIComponent(agreement.numero)}?${site()}`));
  })().catch((error: unknown) => show('#agreement-answer', [failure(error)]));
});
