/** A labelled, required input: the label wraps it, so a screen reader names the field and a click on the words focuses it. */
export function Field(props: { label: string; name: string; value?: string; id?: string; inputmode?: string; placeholder?: string }): JSX.Element {
  return (
    <label>
      <span safe>{props.label}</span>
      <input name={props.name} id={props.id} value={props.value} inputmode={props.inputmode} placeholder={props.placeholder} required />
    </label>
  );
}
