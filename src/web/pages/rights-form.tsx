import { Field } from './fields.js';

/**
 * The patient's cards and the date of care, for a rights check (src/web/browser/rights.ts):
 * on /soins before a calculation, on /accords before a quote. A covered patient's engagement
 * fills the page's #engagement field.
 */
export function RightsForm({ today }: { today: string }): JSX.Element {
  return (
    <form id="rights" class="panel" aria-labelledby="rights-title">
      <h2 id="rights-title">Identification des droits</h2>
      <div class="fields">
        <Field label="Numéro AMC" name="amc" inputmode="numeric" />
        <Field label="Numéro d’adhérent" name="adherent" />
        <Field label="NIR (avec la clé)" name="nir" />
        <Field label="Date de naissance" name="naissance" placeholder="AAAA-MM-JJ" />
        <Field label="Rang de naissance" name="rang" value="1" inputmode="numeric" />
        <Field label="Date des soins" name="dateSoins" value={today} />
      </div>
      <button type="submit">Vérifier les droits</button>
      <div id="rights-answer" class="answer" role="status" aria-live="polite"></div>
    </form>
  );
}
