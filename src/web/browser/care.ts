/**
 * The care page (/soins): checks a patient's rights from their cards, then computes the AMC
 * part of a line under the engagement, both through the JSON API; answers written as text.
 */
import { failure, post, show } from './api.js';
import { cents, chosenSite, euros, field, onSubmit, ticked } from './forms.js';
import { decisionSentences, senderNumber, type Decision } from './invoice-words.js';
import { rememberChoice } from './remember.js';
import { checkRightsOnSubmit } from './rights.js';

interface CalculationAnswer {
  lignes: { amo: number; amoVerse: number; amc: number; patient: number; libelle: string }[];
}

rememberChoice('select[name=structure]');

/** The act field suggests the chosen domain's common codes (the page renders one datalist per domain: src/web/pages/care-codes.tsx). */
const domainSelect = document.querySelector<HTMLSelectElement>('#calculation select[name=domaine]');
domainSelect?.addEventListener('change', () => {
  document.querySelector('#calculation input[name=acte]')?.setAttribute('list', `actes-${domainSelect.value}`);
});

checkRightsOnSubmit();

/** The calculation's line as the API takes it (the invoice's line is the same, plus what is claimed). */
function lineOf(form: HTMLFormElement): Record<string, unknown> {
  const device = field(form, 'dispositif');
  return {
    acte: field(form, 'acte'), domaine: field(form, 'domaine'), quantite: Number(field(form, 'quantite')),
    prix: cents(field(form, 'prix')), base: cents(field(form, 'base')), tauxAmo: Number(field(form, 'tauxAmo')),
    participationForfaitaire: cents(field(form, 'pf')),
    // Unticked, OPTAM is left out: the API then treats a physician as not adherent.
    ...(ticked(form, 'optam') ? { optam: true } : {}),
    ...(device ? { dispositif: device } : {}),
  };
}

/** What the last calculation would invoice: the lines as calculated, each claiming the AMC part found. Cleared by any new calculation. */
let calculated: { structure: string; engagement: string; lignes: Record<string, unknown>[] } | undefined;
const sending = document.querySelector<HTMLElement>('#invoice');

onSubmit('#calculation', async (form) => {
  calculated = undefined;
  if (sending) sending.hidden = true;
  try {
    const body = { structure: chosenSite(), engagement: field(form, 'engagement'), lignes: [lineOf(form)] };
    const answer = await post<CalculationAnswer>('/api/v1/coverage/calculate', body);
    const [line] = answer.lignes;
    if (!line) return show('#calculation-answer', ['Aucune ligne calculée.']);
    show('#calculation-answer', [`Part AMO : ${euros(line.amo)} (versée : ${euros(line.amoVerse)})`, `Part complémentaire (AMC) : ${euros(line.amc)}`,
      `Reste à charge du patient : ${euros(line.patient)}`, `Règle : ${line.libelle}`]);
    calculated = { ...body, lignes: body.lignes.map((sent, index) => ({ ...sent, montantAmc: answer.lignes[index]?.amc ?? 0 })) };
    show('#invoice-answer', []);
    if (sending) sending.hidden = false;
  } catch (error) {
    show('#calculation-answer', [failure(error)]);
  }
});

/** Sends the calculated lines as a one-invoice lot, under the engagement and on the rights check's care date; shows the decision. */
onSubmit('#invoice', async () => {
  if (!calculated) return;
  const { structure: site, engagement, lignes } = calculated;
  const lot = senderNumber('L');
  const numero = senderNumber('F');
  const careDate = document.querySelector<HTMLInputElement>('#rights input[name=dateSoins]')?.value ?? '';
  try {
    show('#invoice-answer', [`Envoi du lot ${lot}, facture ${numero}…`]);
    const answer = await post<{ factures: Decision[] }>('/api/v1/invoices/lots', { structure: site, lot, factures: [{ numero, engagement, dateSoins: careDate, lignes }] });
    show('#invoice-answer', [`Lot ${lot}`, ...answer.factures.flatMap(decisionSentences)]);
    // Sent once: a second click would be another invoice for the same care.
    calculated = undefined;
    if (sending) sending.hidden = true;
  } catch (error) {
    show('#invoice-answer', [`Lot ${lot}, facture ${numero}`, failure(error)]);
  }
});
