/**
 * The care page (/soins): checks a patient's rights from their cards, then computes the AMC
 * part of a line under the engagement, both through the JSON API; answers written as text.
 */
import { failure, post, show } from './api.js';
import { cents, euros, field, onSubmit, ticked } from './forms.js';
import { rememberChoice } from './remember.js';

interface RightsAnswer {
  couvert: boolean;
  domaines?: { domaine: string; libelle: string; garantie: string }[];
  engagement?: { numero: string; expiration: string };
}

interface CalculationAnswer {
  lignes: { amo: number; amoVerse: number; amc: number; patient: number; libelle: string }[];
}

const structure = (): string => document.querySelector<HTMLSelectElement>('select[name=structure]')?.value ?? '';

rememberChoice('select[name=structure]');

onSubmit('#rights', async (form) => {
  try {
    const answer = await post<RightsAnswer>('/api/v1/rights/check', {
      structure: structure(), amc: field(form, 'amc'), adherent: field(form, 'adherent'), nir: field(form, 'nir'),
      naissance: field(form, 'naissance'), rang: Number(field(form, 'rang')), dateSoins: field(form, 'dateSoins'),
    });
    if (!answer.couvert || !answer.engagement) return show('#rights-answer', ['Non couvert.']);
    const engagement = document.querySelector<HTMLInputElement>('#engagement');
    if (engagement) engagement.value = answer.engagement.numero;
    show('#rights-answer', [
      `Couvert. Engagement ${answer.engagement.numero} (jusqu’au ${answer.engagement.expiration.slice(0, 10)})`,
      ...(answer.domaines ?? []).map((d) => `${d.domaine} — ${d.libelle} : ${d.garantie}`),
    ]);
  } catch (error) {
    show('#rights-answer', [failure(error)]);
  }
});

onSubmit('#calculation', async (form) => {
  try {
    const device = field(form, 'dispositif');
    const answer = await post<CalculationAnswer>('/api/v1/coverage/calculate', {
      structure: structure(), engagement: field(form, 'engagement'),
      lignes: [{
        acte: field(form, 'acte'), domaine: field(form, 'domaine'), quantite: Number(field(form, 'quantite')),
        prix: cents(field(form, 'prix')), base: cents(field(form, 'base')), tauxAmo: Number(field(form, 'tauxAmo')),
        participationForfaitaire: cents(field(form, 'pf')),
        // Unticked, OPTAM is left out: the API then treats a physician as not adherent.
        ...(ticked(form, 'optam') ? { optam: true } : {}),
        ...(device ? { dispositif: device } : {}),
      }],
    });
    const [line] = answer.lignes;
    if (!line) return show('#calculation-answer', ['Aucune ligne calculée.']);
    show('#calculation-answer', [`Part AMO : ${euros(line.amo)} (versée : ${euros(line.amoVerse)})`, `Part complémentaire (AMC) : ${euros(line.amc)}`,
      `Reste à charge du patient : ${euros(line.patient)}`, `Règle : ${line.libelle}`]);
  } catch (error) {
    show('#calculation-answer', [failure(error)]);
  }
});
