import type { PracticeSite } from '../../access/sites.js';

/** A labelled input, required unless `optional`: the label wraps it, so a screen reader names the field and a click on the words focuses it. */
/** `list`: the id of a datalist of suggestions (free entry stays allowed). `type`: text unless said (date…). */
export function Field(props: { label: string; name: string; value?: string; id?: string; inputmode?: string; placeholder?: string; list?: string; type?: string; optional?: boolean }): JSX.Element {
  return (
    <label>
      <span safe>{props.label}</span>
      <input name={props.name} id={props.id} type={props.type} value={props.value} inputmode={props.inputmode} placeholder={props.placeholder} list={props.list} required={props.optional !== true} />
    </label>
  );
}

/** Where a page offers the passkey step-up when the API asks for a fresh proof (src/web/browser/step-up.ts): hidden until then. */
export function StepUpOffer({ id }: { id: string }): JSX.Element {
  return <p hidden id={id}><button type="button" class="quiet">Confirmer mon identité avec ma clé d’accès</button></p>;
}

/** The site acted for; with several, the last one chosen in this browser comes back (kept per person: src/web/browser/remember.ts). */
export function SiteChoice({ sites, rpps }: { sites: PracticeSite[]; rpps: string }): JSX.Element {
  return (
    <div class="panel">
      <label>
        Structure
        <select name="structure" data-remember={`rempart.structure.${rpps}`}>
          {sites.map((site) => <option value={site.structure} safe>{site.name} ({site.structure})</option>)}
        </select>
      </label>
    </div>
  );
}
