/** Reading a form's fields by name, typed: a missing field is the page's bug, said loudly. */
export function field(form: HTMLFormElement, name: string): string {
  const element = form.elements.namedItem(name);
  if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement) return element.value;
  throw new Error(`champ ${name} absent`);
}

export function ticked(form: HTMLFormElement, name: string): boolean {
  const element = form.elements.namedItem(name);
  return element instanceof HTMLInputElement && element.checked;
}

/** The site the person acts for, from the page's select (src/web/pages/fields.tsx, SiteChoice). */
export const chosenSite = (): string => document.querySelector<HTMLSelectElement>('select[name=structure]')?.value ?? '';

/** Euros typed the French way (« 10,50 ») as cents. */
export const cents = (text: string): number => Math.round(Number(text.replace(',', '.')) * 100);

export const euros = (amount: number): string => `${(amount / 100).toFixed(2).replace('.', ',')} €`;

/** Runs a form's submit through the handler, without reloading the page. */
export function onSubmit(selector: string, handler: (form: HTMLFormElement) => Promise<void>): void {
  const form = document.querySelector<HTMLFormElement>(selector);
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    void handler(form);
  });
}
