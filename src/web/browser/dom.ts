/** Building the pages' content from API data: elements and text nodes, never HTML strings. */
type Child = Node | string;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Fills a table's body with one row per item, or one row saying there is none. */
export function fillTable(selector: string, rows: readonly HTMLTableRowElement[], none: string): void {
  const body = document.querySelector<HTMLTableSectionElement>(`${selector} tbody`);
  if (!body) return;
  const columns = document.querySelectorAll(`${selector} thead th`).length;
  body.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: String(columns) }, none))]));
}

/** A row of cells, each text or already built (a cell given whole, such as `num`'s, is kept as it is). */
export const row = (...cells: Child[]): HTMLTableRowElement => el('tr', {}, ...cells.map((cell) => (cell instanceof HTMLTableCellElement ? cell : el('td', {}, cell))));

/** A figure's cell, right-aligned under its column's header. */
export const num = (text: string | number): HTMLTableCellElement => el('td', { class: 'n' }, String(text));

/**
 * The platform's time zone: pages rendered by the server show French time, and so does the
 * browser code, whatever zone the browser runs in (a laptop abroad, a headless test in UTC),
 * so that one instant reads the same in every part of a page.
 */
export const FRANCE = 'Europe/Paris';

/** An instant as a French reader expects it, in French time. */
export const when = (iso: string): string => new Date(iso).toLocaleString('fr-FR', { timeZone: FRANCE, dateStyle: 'short', timeStyle: 'short' });

/** A calendar day of the API (AAAA-MM-JJ) as a French reader writes it: 07/12/2026. */
export const day = (date: string): string => date.split('-').reverse().join('/');

/** A button of a reason form: its label, the value the action is given when it is pressed, a quiet look for the lesser choice. */
export interface ReasonButton { label: string; value: string; quiet?: boolean }

/**
 * A one-line form asking the reason for an action (the API keeps it with the officer's
 * name), then the action's button, or one button per choice of the action: `act` is given
 * the reason and the pressed button's value.
 */
export function reasonForm(buttons: string | readonly ReasonButton[], act: (reason: string, value: string) => void): HTMLFormElement {
  const input = el('input', { name: 'motif', required: '', minlength: '3' });
  const choices = typeof buttons === 'string' ? [{ label: buttons, value: '' }] : buttons;
  const form = el('form', { class: 'inline' }, el('label', {}, 'Motif', input),
    ...choices.map((b) => el('button', { type: 'submit', value: b.value, ...(b.quiet ? { class: 'quiet' } : {}) }, b.label)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(input.value, event.submitter instanceof HTMLButtonElement ? event.submitter.value : '');
  });
  return form;
}
