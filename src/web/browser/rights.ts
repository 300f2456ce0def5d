/**
 * The rights check of a page's #rights form (src/web/pages/rights-form.tsx), on /soins and
 * /accords: the patient's cards through POST /api/v1/rights/check; a covered patient's
 * engagement goes into the page's #engagement field, for the calculation or the quote.
 */
import { failure, post, show } from './api.js';
import { chosenSite, field, onSubmit } from './forms.js';

interface RightsAnswer {
  couvert: boolean;
  domaines?: { domaine: string; libelle: string; garantie: string }[];
  engagement?: { numero: string; expiration: string };
}

export function checkRightsOnSubmit(): void {
  onSubmit('#rights', async (form) => {
    try {
      const answer = await post<RightsAnswer>('/api/v1/rights/check', {
        structure: chosenSite(), amc: field(form, 'amc'), adherent: field(form, 'adherent'), nir: field(form, 'nir'),
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
}
